// The session timeout warning (WCAG 2.2.1 Timing Adjustable), as GOV.UK services do it: two
// minutes before the session would end, a modal dialog says so and offers "Stay signed in".
// Without JavaScript the session simply ends; signing in again returns to the page.
const dialog = document.getElementById('session-timeout');
if (dialog && typeof dialog.showModal === 'function') {
  const warnMs = Number(dialog.dataset.warnSeconds) * 1000;
  const countdown = dialog.querySelector('[data-countdown]');
  const stay = dialog.querySelector('[data-stay]');
  let deadline = Date.now() + Number(dialog.dataset.secondsLeft) * 1000;

  const inWords = (ms) => {
    const seconds = Math.max(0, Math.ceil(ms / 1000));
    if (seconds >= 60) {
      const minutes = Math.ceil(seconds / 60);
      return `${minutes} minute${minutes === 1 ? '' : 's'}`;
    }
    return `${seconds} second${seconds === 1 ? '' : 's'}`;
  };

  const tick = () => {
    const left = deadline - Date.now();
    if (left <= 0) {
      // The session has ended on the server: reloading leads to sign-in, and back here after it.
      window.location.reload();
      return;
    }
    if (left <= warnMs) {
      countdown.textContent = inWords(left);
      if (!dialog.open) dialog.showModal();
    }
    window.setTimeout(tick, 1000);
  };

  stay.addEventListener('click', async () => {
    const res = await fetch('/account/keep-alive', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (!res.ok) {
      window.location.reload();
      return;
    }
    const { secondsLeft } = await res.json();
    deadline = Date.now() + secondsLeft * 1000;
    dialog.close();
  });

  tick();
}
