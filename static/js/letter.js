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
    var warning = section.querySelector(".mailto-too-long");
    var status = form.querySelector(".js-status");
    var printBody = section.querySelector(".letter-print__body");
    var printSubject = section.querySelector(".letter-print__subject");

    function update() {
      if (printBody) printBody.textContent = body.value;
      if (printSubject) printSubject.textContent = subject.value;
      if (!link) return;
      var to = split(link.dataset.to), cc = split(link.dataset.cc);
      var full = mailto(to, cc, subject.value, body.value);
      var tooLong = full.length > Number(link.dataset.limit || 2000);
      link.href = tooLong ? mailto(to, cc, subject.value, "") : full;
      if (warning) warning.hidden = !tooLong;
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
    var print = form.querySelector(".js-print");
    if (print) {
      print.hidden = false;
      print.addEventListener("click", function () { update(); window.print(); });
    }
  });
})();
