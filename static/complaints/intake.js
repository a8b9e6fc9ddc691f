// Progressive enhancement of the complaint form; the form works the same without it.
(function () {
  "use strict";
  var province = document.getElementById("id_origin_province");
  var regency = document.getElementById("id_origin_region");
  if (province && regency) {
    // Show only the chosen province's regencies (the select holds all 514, grouped).
    var narrow = function () {
      var chosen = province.options[province.selectedIndex];
      var label = chosen && chosen.value ? chosen.text : "";
      Array.prototype.forEach.call(regency.querySelectorAll("optgroup"), function (group) {
        var show = !label || group.label === label;
        group.hidden = !show;
        group.disabled = !show;
      });
      var selected = regency.options[regency.selectedIndex];
      if (selected && selected.parentNode.disabled) { regency.value = ""; }
    };
    province.addEventListener("change", narrow);
    narrow();
  }
  var anonymous = document.getElementById("id_is_anonymous");
  var contact = document.getElementById("contact-fields");
  if (anonymous && contact) {
    // Anonymous reports store no contact: hide the fields so nobody types them in vain.
    var toggle = function () { contact.classList.toggle("is-hidden", anonymous.checked); };
    anonymous.addEventListener("change", toggle);
    toggle();
  }
})();
