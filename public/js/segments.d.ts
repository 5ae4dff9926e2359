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
export declare function needsWarning(count: SegmentCount): boolean;
export declare function describeCount(count: SegmentCount): string;
