// Progressive enhancement of the complaint form; the form works the same without it.
(function () {
  "use strict";
  var picker = document.getElementById("region-picker");
  if (picker && window.fetch && picker.dataset.searchUrl) {
    // One search box instead of the four steps: type the village name, pick it from the list
    // (each entry with its district and regency), and the four hidden selects are filled.
    var fields = ["origin_province", "origin_region", "origin_district", "origin_village"];
    var selects = fields.map(function (name) { return document.getElementById("id_" + name); });
    var steps = Array.prototype.slice.call(picker.children);
    var box = document.createElement("div");
    box.className = "village-search mb-3";
    var label = document.createElement("label");
    label.className = "form-label";
    label.htmlFor = "village-search-input";
    label.textContent = picker.dataset.label;
    var input = document.createElement("input");
    input.type = "search";
    input.id = "village-search-input";
    input.className = "form-control";
    input.autocomplete = "off";
    input.setAttribute("aria-describedby", "village-search-help village-search-status");
    var help = document.createElement("div");
    help.id = "village-search-help";
    help.className = "form-text";
    help.textContent = picker.dataset.help;
    var status = document.createElement("p");
    status.id = "village-search-status";
    status.className = "form-text mb-1";
    status.setAttribute("role", "status");
    var list = document.createElement("ul");
    list.className = "village-results list-unstyled";
    var chosen = document.createElement("p");
    chosen.className = "village-chosen";
    var manual = document.createElement("button");
    manual.type = "button";
    manual.className = "btn btn-link p-0";
    manual.textContent = picker.dataset.manual;
    box.append(label, input, help, status, list, chosen, manual);
    picker.insertBefore(box, picker.firstChild);

    var setOption = function (select, value, text) {
      var found = Array.prototype.some.call(select.options, function (option) {
        return option.value === value;
      });
      if (!found) { select.add(new Option(text, value)); }
      select.value = value;
    };
    var showChosen = function (text) {
      chosen.textContent = text ? picker.dataset.chosen.replace("%s", text) : "";
    };
    var pick = function (village) {
      setOption(selects[0], village.province_code, village.province);
      setOption(selects[1], village.regency_code, village.regency);
      setOption(selects[2], village.district_code, village.district);
      setOption(selects[3], village.code, village.name);
      showChosen(village.label + ", " + village.province);
      list.textContent = "";
      status.textContent = "";
      input.value = village.name;
    };
    var timer = null;
    var search = function () {
      var query = input.value.trim();
      if (query.length < 3) { list.textContent = ""; status.textContent = ""; return; }
      fetch(picker.dataset.searchUrl + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" }
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (data) {
        if (input.value.trim() !== query) { return; }
        list.textContent = "";
        data.results.forEach(function (village) {
          var item = document.createElement("li");
          var button = document.createElement("button");
          button.type = "button";
          button.className = "btn btn-outline-secondary text-start w-100 mb-1";
          button.textContent = village.label + ", " + village.province;
          button.addEventListener("click", function () { pick(village); selects[3].dispatchEvent(new Event("change")); });
          item.appendChild(button);
          list.appendChild(item);
        });
        status.textContent = data.results.length
          ? picker.dataset.found.replace("%s", data.results.length)
          : picker.dataset.none;
      }).catch(function () {
        status.textContent = picker.dataset.failed;
        steps.forEach(function (node) { node.classList.remove("is-hidden"); });
      });
    };
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 250);
    });
    input.addEventListener("keydown", function (event) {
      // Enter searches now instead of sending the whole report.
      if (event.key === "Enter") { event.preventDefault(); clearTimeout(timer); search(); }
    });
    manual.addEventListener("click", function () {
      steps.forEach(function (node) { node.classList.remove("is-hidden"); });
      box.classList.add("is-hidden");
      selects[0].focus();
    });
    var hasError = picker.querySelector(".is-invalid, .invalid-feedback");
    if (!hasError) {
      steps.forEach(function (node) { node.classList.add("is-hidden"); });
    }
    var village = selects[3];
    if (village.value) {
      showChosen([village, selects[2], selects[1], selects[0]].map(function (select) {
        return select.options[select.selectedIndex].text;
      }).join(", "));
    }
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
