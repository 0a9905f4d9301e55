// parley: progressive enhancement only. Every page works without this file;
// it adds "add another" buttons to repeated rows, keeps the as-of date
// and round pickers from both being set, and moves focus to the summary of
// a refused form.
(function () {
  "use strict";

  // renumber rewrites "[n]" in names and "-n-" in ids of a cloned row.
  function renumber(row, index) {
    row.querySelectorAll("[name]").forEach(function (el) {
      el.name = el.name.replace(/\[\d+\]/, "[" + index + "]");
    });
    row.querySelectorAll("[id]").forEach(function (el) {
      el.id = el.id.replace(/^(f-[\w-]+?-)\d+/, "$1" + index);
    });
    row.querySelectorAll("label[for]").forEach(function (el) {
      el.htmlFor = el.htmlFor.replace(/^(f-[\w-]+?-)\d+/, "$1" + index);
    });
    row.querySelectorAll("[aria-describedby]").forEach(function (el) {
      el.setAttribute("aria-describedby", el.getAttribute("aria-describedby").replace(/(f-[\w-]+?-)\d+/g, "$1" + index));
    });
    row.querySelectorAll("legend, label").forEach(function (el) {
      el.textContent = el.textContent.replace(/^(Source of the move|Source|Participant) \d+/, "$1 " + (index + 1));
    });
  }

  function clear(row) {
    row.classList.remove("has-error");
    row.querySelectorAll(".error").forEach(function (el) { el.remove(); });
    row.querySelectorAll(".has-error").forEach(function (el) { el.classList.remove("has-error"); });
    row.querySelectorAll("input, textarea").forEach(function (el) { el.value = ""; el.removeAttribute("aria-invalid"); });
    row.querySelectorAll("select").forEach(function (el) { el.selectedIndex = 0; el.removeAttribute("aria-invalid"); });
  }

  document.querySelectorAll("[data-repeat]").forEach(function (container) {
    var noun = container.getAttribute("data-repeat") === "citations" ? "source" : "participant";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button small";
    button.textContent = "Add another " + noun;
    button.addEventListener("click", function () {
      var rows = container.querySelectorAll("[data-row]");
      var last = rows[rows.length - 1];
      var copy = last.cloneNode(true);
      clear(copy);
      renumber(copy, rows.length);
      container.appendChild(copy);
      var first = copy.querySelector("input, select, textarea");
      if (first) { first.focus(); }
    });
    var wrap = document.createElement("p");
    wrap.appendChild(button);
    container.parentNode.insertBefore(wrap, container.nextSibling);
  });

  // A moment is a date or a round, not both: choosing one clears the
  // other, which without this script the server asks the user to do.
  var momentDate = document.querySelector("[data-moment=date]");
  var momentRound = document.querySelector("[data-moment=round]");
  if (momentDate && momentRound) {
    momentDate.addEventListener("input", function () {
      if (momentDate.value !== "") { momentRound.value = ""; }
    });
    momentRound.addEventListener("change", function () {
      if (momentRound.value !== "") { momentDate.value = ""; }
    });
  }

  var problems = document.getElementById("problems");
  if (problems) { problems.focus(); }
})();
