// The application page: the postal address shows only while the post is chosen, and the carrier's postage appears as
// soon as the applicant picks a commune. Without this script the page still works: every field shows, and the
// postage is quoted when the draft is saved, reviewed or submitted, and shown then.
(function () {
  "use strict";
  const box = document.querySelector("[data-postage-quote]");
  const select = box && document.getElementById(box.dataset.communeField);
  if (!select) {
    return;
  }
  const address = box.closest("fieldset");
  const methods = document.querySelectorAll('input[name="delivery_method"]');
  const showAddress = function () {
    const chosen = document.querySelector('input[name="delivery_method"]:checked');
    address.hidden = Boolean(chosen) && chosen.value !== "postal";
  };
  methods.forEach(function (radio) {
    radio.addEventListener("change", showAddress);
  });
  showAddress();
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
