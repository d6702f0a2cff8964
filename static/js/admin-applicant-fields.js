/* The applicant-fields editor of the procedure admin: "Thêm dòng" adds an empty row from the formset's blank form,
   so an administrator adds any number of fields at once. Without JavaScript the blank rows below the table still
   take new fields, and "Lưu và tiếp tục sửa" offers more. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  // (the admin loads a form's scripts in the page's head, before the editor exists)
  document.querySelectorAll("[data-applicant-fields]").forEach(function (editor) {
    var prefix = editor.getAttribute("data-applicant-fields");
    var total = editor.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var blank = editor.querySelector("template");
    var rows = editor.querySelector("tbody");
    var button = editor.querySelector("[data-add-row]");
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = Number(total.value);
      var row = blank.content.firstElementChild.cloneNode(true);
      row.querySelectorAll("[name], [id], [for]").forEach(function (element) {
        ["name", "id", "for"].forEach(function (attribute) {
          var value = element.getAttribute(attribute);
          if (value) {
            element.setAttribute(attribute, value.replace("__prefix__", index));
          }
        });
      });
      row.querySelectorAll("label.visually-hidden").forEach(function (label) {
        label.textContent = label.textContent.replace("__row__", index + 1);
      });
      rows.appendChild(row);
      total.value = index + 1;
      row.querySelector("input").focus();
    });
  });
});
