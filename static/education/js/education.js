/* Guides: offline reading (service worker) and checklist ticks kept on this phone.
   Progressive enhancement: every page works without this file. */
(function () {
  "use strict";
  var script = document.currentScript;

  function keepForOffline() {
    if (!("serviceWorker" in navigator) || !script) return;
    navigator.serviceWorker.register(script.dataset.sw, { scope: script.dataset.scope }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      if (registration.active) registration.active.postMessage({ keep: window.location.href });
    }).catch(function () { /* offline reading is a bonus, never an error */ });
  }

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function checklists() {
    var store = storage();
    if (!store) return;
    document.querySelectorAll("[data-checklist]").forEach(function (list) {
      var key = "checklist:" + list.dataset.checklist;
      var ticked = {};
      try { ticked = JSON.parse(store.getItem(key) || "{}") || {}; } catch (e) { ticked = {}; }
      list.querySelectorAll("input[type=checkbox]").forEach(function (box) {
        box.checked = ticked[box.name] === true;
        box.addEventListener("change", function () {
          if (box.checked) { ticked[box.name] = true; } else { delete ticked[box.name]; }
          try { store.setItem(key, JSON.stringify(ticked)); } catch (e) { /* storage full or blocked */ }
        });
      });
    });
  }

  checklists();
  keepForOffline();
})();
