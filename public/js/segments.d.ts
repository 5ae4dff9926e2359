// Declarations for segments.js, which the server imports directly so that it and the browser
// count the same way.

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SegmentCount {
  encoding: SmsEncoding;
  /** Septets for GSM-7 (extension characters and form feed take two); UTF-16 code units for UCS-2. */
  units: number;
  /** Unicode code points. */
  characters: number;
  /** 0 for an empty text. */
  parts: number;
  /** 160 or 153 for GSM-7, 70 or 67 for UCS-2. */
  perPart: number;
  /** Units still free in the last part. */
  remainingInPart: number;
}

export declare const MAX_CHARACTERS: 3200;
export declare const MAX_RECOMMENDED_PARTS: 6;
export declare const WARNING_CLASS: 'sms-counter--warning';

export declare function isGsm7(text: string): boolean;
export declare function countSegments(text: string): SegmentCount;
export declare function isBlank(text: string): boolean;
export declare const BLANK_TEXT: string;
export declare function needsWarning(count: SegmentCount): boolean;
export declare function describeCount(count: SegmentCount): string;

export interface UnicodeCulprit {
  char: string;
  /** e.g. "U+2019". */
  code: string;
  /** What the counter highlights: the character, or its name when it cannot be seen. */
  mark: string;
  /** What follows the highlight, e.g. " (U+2019)". */
  rest: string;
  count: number;
  /** GSM-7 text that can stand in for it. */
  replacement?: string;
}

export interface CounterView {
  text: string;
  warning: boolean;
  cost: string | undefined;
  unicode: { culprits: UnicodeCulprit[]; more: number; listed: string; hint: string } | undefined;
  multiplied: string | undefined;
}

export declare const MAX_LISTED_CULPRITS: 8;

export declare function unicodeCulprits(text: string): UnicodeCulprit[];
export declare function asGsm7(text: string): string;
export declare function describeCulprits(culprits: UnicodeCulprit[]): string;
export declare function describeReplacement(culprits: UnicodeCulprit[]): string;
export declare function describeMultipliedParts(culprits: UnicodeCulprit[], parts: number, gsmParts: number): string | undefined;
export declare function isPartPrice(price: unknown): price is string;
export declare function multiplyPrice(parts: number, partPrice: string): string;
export declare function describeCost(parts: number, partPrice: string | undefined): string | undefined;
export declare function counterView(text: string, partPrice?: string): CounterView;
