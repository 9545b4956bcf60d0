// A native date input writes its value the way the browser's own locale does (11/23/2026
// on a US-English browser), whatever the page's language, so each one gets the date written
// out beneath it as the rest of Cairn writes dates: "Mon 23 Nov 2026".
(() => {
  const language = document.documentElement.lang || "en-GB";
  const day = { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC" };
  const dayAndTime = { ...day, hour: "2-digit", minute: "2-digit", hourCycle: "h23" };

  function inWords(input) {
    const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(input.value);
    if (!match) {
      return "";
    }
    const [, year, month, date, hour, minute] = match.map((part) => part && Number(part));
    // Read as UTC and written as UTC: the words repeat what was typed, with no zone shift.
    const moment = new Date(Date.UTC(year, month - 1, date, hour || 0, minute || 0));
    const parts = {};
    const options = input.type === "datetime-local" ? dayAndTime : day;
    for (const { type, value } of new Intl.DateTimeFormat(language, options).formatToParts(moment)) {
      parts[type] = value;
    }
    // Put together by hand: Intl adds a comma after the weekday that Cairn's dates do not have.
    const written = `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}`;
    return parts.hour ? `${written}, ${parts.hour}:${parts.minute}` : written;
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
