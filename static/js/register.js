/* Registration: show only the identity fields of the chosen applicant type.
   Without JavaScript every field stays visible and the server decides which ones apply. */
(function () {
  "use strict";
  var form = document.querySelector(".register-form");
  if (!form) {
    return;
  }
  var radios = form.querySelectorAll('input[name="applicant_type"]');
  var groups = {
    "1": form.querySelector('[data-applicant="citizen"]'),
    "2": form.querySelector('[data-applicant="enterprise"]')
  };

  function setGroup(group, visible) {
    if (!group) {
      return;
    }
    group.hidden = !visible;
    // A hidden group's inputs are disabled, so they are neither submitted nor validated.
    var inputs = group.querySelectorAll("input, select, textarea");
    for (var i = 0; i < inputs.length; i++) {
      inputs[i].disabled = !visible;
    }
  }

  function update() {
    var chosen = form.querySelector('input[name="applicant_type"]:checked');
    var value = chosen ? chosen.value : null;
    Object.keys(groups).forEach(function (key) {
      setGroup(groups[key], value === null || value === key);
    });
  }

  for (var i = 0; i < radios.length; i++) {
    radios[i].addEventListener("change", update);
  }
  update();
})();
