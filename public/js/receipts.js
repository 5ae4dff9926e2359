// Keeps the "Delivery" column of the result page current: asks the app for the receipts that
// arrived since the page was drawn, until every accepted part has a final one.
const table = document.getElementById('parts');
const url = table?.dataset.receiptsUrl;

/** @param {{title: string, explanation: string, tone: string}} receipt */
function render(cell, receipt) {
  const badge = document.createElement('span');
  badge.className = `badge badge-${receipt.tone}`;
  badge.textContent = receipt.title;
  const detail = document.createElement('span');
  detail.className = 'small muted block';
  detail.textContent = receipt.explanation;
  cell.replaceChildren(badge, detail);
}

async function poll(delay) {
  try {
    const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    if (!response.ok) return; // disconnected or gone: stop quietly, the page still shows what it had
    const data = await response.json();
    for (const part of data.parts) {
      if (!part.messageId || !part.receipt) continue;
      const cell = table.querySelector(`[data-receipt-for="${CSS.escape(part.messageId)}"]`);
      if (cell && cell.dataset.shown !== part.receipt.status) {
        render(cell, part.receipt);
        cell.dataset.shown = part.receipt.status;
      }
    }
    if (data.complete) return;
  } catch {
    // A network blip: try again later, a little less often.
  }
  setTimeout(() => poll(Math.min(delay * 1.5, 15000)), delay);
}

if (table && url) setTimeout(() => poll(1000), 1000);
