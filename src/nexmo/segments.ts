// The counting code lives in public/ so the browser loads the very same file; the server reaches
// it through this module. The relative step is the same from src/nexmo and dist/nexmo.
export {
  MAX_CHARACTERS,
  MAX_RECOMMENDED_PARTS,
  WARNING_CLASS,
  countSegments,
  describeCount,
  isGsm7,
  needsWarning,
} from '../../public/js/segments.js';
export type { SegmentCount, SmsEncoding } from '../../public/js/segments.js';
