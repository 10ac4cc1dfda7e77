// Enhancements for the letter page. Without JavaScript everything still works: the
// "Use my changes" button rebuilds the email link on the server.
(function () {
  "use strict";

  function encodeAddress(address) {
    return encodeURIComponent(address.trim()).replace(/%40/g, "@");
  }

  // The same encoding as campaign/letters.py mailto(): RFC 6068, CRLF line breaks.
  function mailto(to, cc, subject, body) {
    var url = "mailto:" + to.filter(Boolean).map(encodeAddress).join(",");
    var headers = [];
    if (cc.length) headers.push("cc=" + cc.map(encodeAddress).join(","));
    if (subject) headers.push("subject=" + encodeURIComponent(subject.split(/\s+/).join(" ").trim()));
    if (body) headers.push("body=" + encodeURIComponent(body.replace(/\r\n?/g, "\n").replace(/\n/g, "\r\n")));
    return url + (headers.length ? "?" + headers.join("&") : "");
  }

  function split(value) {
    return (value || "").split(",").filter(function (item) { return item.trim(); });
  }

  document.querySelectorAll("section.letter").forEach(function (section) {
    var form = section.querySelector("form.letter-edit");
    var subject = form.querySelector("[name=subject]");
    var body = form.querySelector("[name=body]");
    var link = section.querySelector(".mailto-link");
    var fallback = section.querySelector(".copy-then-open");
    var shortLink = section.querySelector(".mailto-short");
    var copyBox = section.querySelector(".letter-copy");
    var status = form.querySelector(".js-status");
    var printBody = section.querySelector(".letter-print__body");
    var printSubject = section.querySelector(".letter-print__subject");

    function update() {
      if (printBody) printBody.textContent = body.value;
      if (printSubject) printSubject.textContent = subject.value;
      if (!link) return;
      var to = split(link.dataset.to), cc = split(link.dataset.cc);
      var full = mailto(to, cc, subject.value, body.value);
      var short = mailto(to, cc, subject.value, "");
      // The same limits as appeals/letters.py (see the sources there).
      var tooLong = full.length > Number(link.dataset.limit || 6000);
      var mayNotOpen = full.length > Number(link.dataset.windowsLimit || 2046);
      link.href = tooLong ? short : full;
      link.hidden = tooLong;
      if (!fallback) return;
      fallback.hidden = !mayNotOpen;
      if (tooLong) fallback.open = true;
      fallback.querySelectorAll(".when-long").forEach(function (el) { el.hidden = tooLong; });
      fallback.querySelectorAll(".when-too-long").forEach(function (el) { el.hidden = !tooLong; });
      if (shortLink) shortLink.href = short;
      if (copyBox) copyBox.value = body.value;
    }
    subject.addEventListener("input", update);
    body.addEventListener("input", update);

    var copy = form.querySelector(".js-copy");
    if (copy && navigator.clipboard) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(subject.value + "\n\n" + body.value).then(function () {
          status.textContent = copy.dataset.done || "Copied.";
        }, function () {
          body.select();
        });
      });
    }
    var copyFromBox = section.querySelector(".js-copy-box");
    if (copyFromBox && copyBox && navigator.clipboard) {
      copyFromBox.hidden = false;
      copyFromBox.addEventListener("click", function () {
        navigator.clipboard.writeText(copyBox.value).then(function () {
          copyFromBox.textContent = copyFromBox.dataset.done || "Copied.";
        }, function () {
          copyBox.select();
        });
      });
    }
    // On Windows, Chrome and Edge open nothing from a link past their limit: there the
    // copy-then-open way comes first, already open.
    var platform = (navigator.userAgentData && navigator.userAgentData.platform) || navigator.userAgent || "";
    if (fallback && link && /Windows/i.test(platform) && !fallback.hidden) fallback.open = true;
    var print = form.querySelector(".js-print");
    if (print) {
      print.hidden = false;
      print.addEventListener("click", function () { update(); window.print(); });
    }
  });
})();
