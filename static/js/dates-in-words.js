// A native date input writes its value the way the browser's own locale does (11/23/2026
// on a US-English browser), whatever the page's language, so each one gets the date written
// out beneath it as the rest of the page writes dates: "Mon 23 Nov 2026" in English,
// "Mo, 23. Nov 2026" in German. The page's script tag carries the formats and names
// (common/templatetags/date_words.py); the browser's Intl names differ from the server's.
(() => {
  const data = document.currentScript.dataset;
  const weekdays = JSON.parse(data.weekdays); // Monday first
  const months = JSON.parse(data.months);
  const pad = (number, width) => String(number).padStart(width, "0");

  // The letters of Django's date format that the day formats use; any other character is
  // written as it stands, and a backslash writes the next one as it stands.
  function written(format, moment) {
    const letters = {
      D: weekdays[(moment.getUTCDay() + 6) % 7],
      j: String(moment.getUTCDate()),
      M: months[moment.getUTCMonth()],
      Y: pad(moment.getUTCFullYear(), 4),
      H: pad(moment.getUTCHours(), 2),
      i: pad(moment.getUTCMinutes(), 2),
    };
    let text = "";
    for (let n = 0; n < format.length; n++) {
      const character = format[n];
      if (character === "\\") {
        n++;
        text += format[n] || "";
      } else {
        text += letters[character] ?? character;
      }
    }
    return text;
  }

  function inWords(input) {
    const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(input.value);
    if (!match) {
      return "";
    }
    const [, year, month, date, hour, minute] = match.map((part) => part && Number(part));
    // Read as UTC and written as UTC: the words repeat what was typed, with no zone shift.
    const moment = new Date(Date.UTC(year, month - 1, date, hour || 0, minute || 0));
    moment.setUTCFullYear(year); // Date.UTC reads a year below 100 as 19xx
    return written(input.type === "datetime-local" ? data.dayTimeFormat : data.dayFormat, moment);
  }

  document.querySelectorAll('input[type="date"], input[type="datetime-local"]').forEach((input, n) => {
    const words = document.createElement("div");
    words.className = "form-text cairn-date-words";
    words.id = `${input.id || "date"}-in-words-${n}`;
    words.dataset.testid = "date-in-words";
    words.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", words);
    input.setAttribute("aria-describedby", `${input.getAttribute("aria-describedby") || ""} ${words.id}`.trim());
    const show = () => {
      words.textContent = inWords(input);
    };
    input.addEventListener("input", show);
    input.addEventListener("change", show);
    show();
  });
})();
