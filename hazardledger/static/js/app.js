/* Behaviour shared by every page built on base.html (the CSP allows no inline script).
 *
 * form[data-confirm="问题"]  asks the question before an irreversible action is sent;
 *                           "取消" sends nothing. A submit button may carry its own
 *                           data-confirm, asked only when that button sends the form.
 * form[data-busy="说明"]     once sent, disables its submit buttons, shows the text on the
 *                           button and in the status line, so a slow import is not sent twice.
 * a[data-busy="说明"], and every link to an .xlsx file: the file is fetched while the link
 *                           and the status line say it is being prepared, then saved under the
 *                           server's file name. Anything but a file (the login page after an
 *                           idle logout, an error page) is opened as an ordinary link would be.
 * Without fetch or Blob URLs (very old browsers) links and forms work as plain HTML.
 */
(function () {
  "use strict";

  var SUBMITS = 'button:not([type]), button[type="submit"], input[type="submit"]';

  function statusLine() {
    return document.getElementById("busy-status");
  }

  function say(text) {
    var line = statusLine();
    if (line) line.textContent = text;
  }

  function defaultText(name) {
    var line = statusLine();
    return (line && line.getAttribute("data-" + name)) || "";
  }

  function setLabel(el, text) {
    if (el.tagName === "INPUT") {
      if (!el.hasAttribute("data-idle-label")) el.setAttribute("data-idle-label", el.value);
      el.value = text;
    } else {
      if (!el.hasAttribute("data-idle-label")) el.setAttribute("data-idle-label", el.textContent);
      el.textContent = text;
    }
  }

  function restoreLabel(el) {
    var label = el.getAttribute("data-idle-label");
    if (label === null) return;
    if (el.tagName === "INPUT") el.value = label;
    else el.textContent = label;
    el.removeAttribute("data-idle-label");
  }

  // ---- forms --------------------------------------------------------------------------------

  function formBusy(form, submitter, message) {
    form.setAttribute("aria-busy", "true");
    var buttons = form.querySelectorAll(SUBMITS);
    var shown = submitter && form.contains(submitter) ? submitter : buttons[0];
    // A disabled button is left out of the data sent: its name and value go in a hidden field.
    if (submitter && submitter.name && form.contains(submitter)) {
      var copy = document.createElement("input");
      copy.type = "hidden";
      copy.name = submitter.name;
      copy.value = submitter.value;
      copy.setAttribute("data-submitter-copy", "");
      form.appendChild(copy);
    }
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
    if (shown) setLabel(shown, message);
    say(message);
  }

  function formIdle(form) {
    form.removeAttribute("aria-busy");
    Array.prototype.forEach.call(form.querySelectorAll("[data-submitter-copy]"), function (c) {
      c.remove();
    });
    Array.prototype.forEach.call(form.querySelectorAll(SUBMITS), function (b) {
      b.disabled = false;
      restoreLabel(b);
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) return;
    if (form.getAttribute("aria-busy") === "true") {
      event.preventDefault(); // already on its way: a second click must not send it again
      return;
    }
    var submitter = event.submitter;
    var question = (submitter && submitter.getAttribute("data-confirm")) ||
      form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    var message = form.getAttribute("data-busy");
    if (message) formBusy(form, event.submitter, message);
  });

  // ---- downloads ----------------------------------------------------------------------------

  function isDownload(link) {
    if (link.hasAttribute("download") || link.protocol === "blob:") return false;
    if (link.origin !== window.location.origin) return false;
    return link.hasAttribute("data-busy") || /\.xlsx$/i.test(link.pathname);
  }

  function fileName(disposition, link) {
    var star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
    if (star) {
      try { return decodeURIComponent(star[1].trim()); } catch (e) { /* fall through */ }
    }
    var plain = /filename\s*=\s*"?([^";]+)"?/.exec(disposition);
    if (plain) return plain[1].trim();
    return link.pathname.split("/").pop() || "download";
  }

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  function linkIdle(link) {
    link.removeAttribute("aria-busy");
    link.removeAttribute("aria-disabled");
    restoreLabel(link);
  }

  function download(link) {
    var message = link.getAttribute("data-busy") || defaultText("download");
    link.setAttribute("aria-busy", "true");
    link.setAttribute("aria-disabled", "true");
    setLabel(link, message);
    say(message);
    window.fetch(link.href, { credentials: "same-origin" })
      .then(function (response) {
        var disposition = response.headers.get("Content-Disposition") || "";
        if (!response.ok || disposition.indexOf("attachment") === -1) {
          linkIdle(link);
          say("");
          window.location.assign(link.href); // let the browser show what the server said
          return null;
        }
        return response.blob().then(function (blob) {
          save(blob, fileName(disposition, link));
          linkIdle(link);
          say("");
        });
      })
      .catch(function () {
        linkIdle(link);
        say(defaultText("failed"));
      });
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || !isDownload(link)) return;
    if (!window.fetch || !window.URL || !URL.createObjectURL || !window.Blob) return;
    event.preventDefault();
    if (link.getAttribute("aria-busy") === "true") return;
    download(link);
  });

  // ---- back/forward cache -------------------------------------------------------------------

  // A page restored from the back/forward cache would keep its busy buttons and links.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    Array.prototype.forEach.call(document.querySelectorAll('form[aria-busy="true"]'), formIdle);
    Array.prototype.forEach.call(document.querySelectorAll('a[aria-busy="true"]'), linkIdle);
    say("");
  });
})();
