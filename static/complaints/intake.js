// Progressive enhancement of the complaint form; the form works the same without it. The home
// village is chosen by name by portal/js/region_picker.js.
(function () {
  "use strict";
  var anonymous = document.getElementById("id_is_anonymous");
  var contact = document.getElementById("contact-fields");
  if (anonymous && contact) {
    // Anonymous reports store no contact: hide the fields so nobody types them in vain.
    var toggle = function () { contact.classList.toggle("is-hidden", anonymous.checked); };
    anonymous.addEventListener("change", toggle);
    toggle();
  }
})();
