// The server writes every moment in UTC, since it cannot know the reader's time zone; this
// rewrites each <time datetime> in the browser's own zone and language. Without the script the
// UTC text stays, which is still right. The UTC text is kept as the element's title.
const FORMAT = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });

for (const time of document.querySelectorAll('time[datetime]')) {
  const date = new Date(time.dateTime);
  if (Number.isNaN(date.getTime())) continue;
  const local = FORMAT.format(date);
  if (time.textContent === local) continue;
  if (!time.title) time.title = (time.textContent ?? '').trim();
  time.textContent = local;
}
