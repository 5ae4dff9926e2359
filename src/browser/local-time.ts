// Every page: each <time datetime> the server wrote in UTC is written again in the reader's time
// zone, in the same pattern (src/present/dates.ts). Without this script the UTC text stays,
// which is still right.
import { showInLocalTime } from './times.js';

for (const time of Array.from(document.querySelectorAll<HTMLTimeElement>('time[datetime]'))) showInLocalTime(time);
