// The admin site's search-as-you-type boxes (select2, for autocomplete_fields)
// have no accessible name: give each the text of its field's label. The
// admin builds the boxes in a jQuery "ready" handler (admin/js/autocomplete.js,
// loaded after this file); a handler added once the page is parsed runs after it.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.django || !window.django.jQuery) return;
  window.django.jQuery(function () {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = document.querySelector('label[for="' + select.id + '"]');
      var wrapper = select.nextElementSibling;
      if (!label || !wrapper) return;
      var name = label.textContent.replace(/[:*]\s*$/, "").trim();
      wrapper.querySelectorAll('[role="combobox"], [role="textbox"]').forEach(function (box) {
        box.setAttribute("aria-label", name);
      });
    });
  });
});
