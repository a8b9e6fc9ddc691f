// Choosing a village by name (portal/region_picker.py): one search box above the province →
// regency → district → village selects, which it fills. The selects and their "Show the list"
// step stay the way without scripts, and the way back when the search is not available.
(function () {
  "use strict";
  if (!window.fetch) { return; }

  // The block of one select: a crispy-forms field (div_id_…) or an admin row (.form-row).
  var rowOf = function (select) {
    return select.closest('[id^="div_id_"], .form-row') || select.parentNode;
  };

  var setUp = function (picker) {
    var selects = (picker.dataset.regionFields || "").split(" ").map(function (id) {
      return document.getElementById(id);
    });
    if (selects.length !== 4 || selects.some(function (select) { return !select; })) { return; }
    var steps = selects.map(rowOf);
    // The "Show the list" step: its own block (crispy layouts) or inside the village row (admin).
    var stepBlock = document.querySelector(".region-step");
    if (stepBlock && !steps.some(function (row) { return row.contains(stepBlock); })) {
      steps.push(stepBlock);
    }
    var showSteps = function (shown) {
      steps.forEach(function (node) { node.hidden = !shown; });
    };

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
    help.className = "form-text help";
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
    steps[0].parentNode.insertBefore(box, steps[0]);

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
      selects[3].dispatchEvent(new Event("change"));
    };
    var timer = null;
    var search = function () {
      var query = input.value.trim();
      if (query.length < 3) { list.textContent = ""; status.textContent = ""; return; }
      fetch(picker.dataset.regionSearch + "?q=" + encodeURIComponent(query), {
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
          button.addEventListener("click", function () { pick(village); });
          item.appendChild(button);
          list.appendChild(item);
        });
        status.textContent = data.results.length
          ? picker.dataset.found.replace("%s", data.results.length)
          : picker.dataset.none;
      }).catch(function () {
        status.textContent = picker.dataset.failed;
        showSteps(true);
      });
    };
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 250);
    });
    input.addEventListener("keydown", function (event) {
      // Enter searches now instead of sending the whole form.
      if (event.key === "Enter") { event.preventDefault(); clearTimeout(timer); search(); }
    });
    manual.addEventListener("click", function () {
      showSteps(true);
      box.hidden = true;
      selects[0].focus();
    });
    // A refused value is shown where it was chosen, with its error: keep the steps open then.
    var hasError = steps.some(function (node) {
      return node.querySelector(".is-invalid, .invalid-feedback, .errorlist");
    });
    if (!hasError) { showSteps(false); }
    var village = selects[3];
    if (village.value) {
      showChosen([village, selects[2], selects[1], selects[0]].map(function (select) {
        return select.options[select.selectedIndex].text;
      }).join(", "));
    }
  };

  var start = function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-region-search]"), setUp);
  };
  // The admin loads its form's scripts in the page head, before the form exists.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
