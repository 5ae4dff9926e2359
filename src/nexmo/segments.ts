// The counting code lives in public/ so the browser loads the very same file; the server reaches
// it through this module. The relative step is the same from src/nexmo and dist/nexmo.
export {
  BLANK_TEXT,
  MAX_CHARACTERS,
  MAX_LISTED_CULPRITS,
  MAX_RECOMMENDED_PARTS,
  WARNING_CLASS,
  asGsm7,
  counterView,
  countSegments,
  describeCost,
  describeCount,
  describeCulprits,
  describeMultipliedParts,
  describeReplacement,
  isBlank,
  isGsm7,
  isPartPrice,
  multiplyPrice,
  needsWarning,
  unicodeCulprits,
} from '../../public/js/segments.js';
export type { CounterView, SegmentCount, SmsEncoding, UnicodeCulprit } from '../../public/js/segments.js';
