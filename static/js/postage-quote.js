// The application page: the carrier's postage shown as soon as the applicant picks a commune. Without this script
// the page still works: the postage is quoted when the draft is saved, reviewed or submitted, and shown then.
(function () {
  "use strict";
  const box = document.querySelector("[data-postage-quote]");
  const select = box && document.getElementById(box.dataset.communeField);
  if (!select) {
    return;
  }
  select.addEventListener("change", async function () {
    if (!select.value) {
      return;
    }
    const url = box.dataset.postageQuote + "?xa=" + encodeURIComponent(select.value);
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      // 400 (a commune not in the list) and 503 (the carrier down) carry the message to show.
      if (response.ok || response.status === 400 || response.status === 503) {
        box.innerHTML = await response.text();
      }
    } catch (error) {
      // Offline or the portal unreachable: the postage is shown when the draft is saved.
    }
  });
})();
