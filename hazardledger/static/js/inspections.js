/* Keeps what was typed into the inspection form in localStorage until the server has it.
 * If the network drops on submit, reopening the form restores the text and the same
 * submission key, so sending it again cannot create a second inspection. */
(function () {
  "use strict";
  var PREFIX = "hl-inspection-draft:";

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function draftKey(form) {
    return PREFIX + location.pathname + "|" + (form.getAttribute("data-draft-scope") || "");
  }

  function collect(form) {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "file" || el.name === "csrfmiddlewaretoken") return;
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) (data[el.name] = data[el.name] || []).push(el.value);
      } else if (el.tagName === "SELECT" && el.multiple) {
        data[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else {
        data[el.name] = el.value;
      }
    });
    return data;
  }

  function restore(form, data) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || !(el.name in data) || el.type === "file" || el.name === "csrfmiddlewaretoken") return;
      var value = data[el.name];
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = value.indexOf(el.value) !== -1;
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = value.indexOf(o.value) !== -1; });
      } else {
        el.value = value;
      }
    });
  }

  function setUp(form) {
    var store = storage();
    if (!store) return;
    var key = draftKey(form);
    var saved = null;
    try { saved = JSON.parse(store.getItem(key) || "null"); } catch (e) { saved = null; }
    // A page the server re-rendered with errors already holds the typed values.
    var hasErrors = document.querySelector(".errors") !== null;
    if (saved && !hasErrors) {
      restore(form, saved);
      var notice = form.querySelector(".insp-draft-notice");
      if (notice) notice.hidden = false;
    }
    var discard = form.querySelector("[data-discard-draft]");
    if (discard) {
      discard.addEventListener("click", function () {
        store.removeItem(key);
        location.reload();
      });
    }
    var save = function () { store.setItem(key, JSON.stringify(collect(form))); };
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    form.addEventListener("submit", save);
  }

  function clearSubmitted(marker) {
    var store = storage();
    if (!store) return;
    var submitted = marker.getAttribute("data-submitted-key");
    for (var i = store.length - 1; i >= 0; i--) {
      var key = store.key(i);
      if (key && key.indexOf(PREFIX) === 0) {
        try {
          var data = JSON.parse(store.getItem(key) || "{}");
          if (data.submission_key === submitted) store.removeItem(key);
        } catch (e) { store.removeItem(key); }
      }
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-draft]"), setUp);
    Array.prototype.forEach.call(document.querySelectorAll("[data-submitted-key]"), clearSubmitted);
  });
})();
