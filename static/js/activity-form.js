// Show only the input that the chosen upload type uses: the file or the link.
(function () {
  const radios = document.querySelectorAll("input[name='upload_type']");
  const file = document.getElementById("div_id_file");
  const link = document.getElementById("div_id_url");
  if (!radios.length || !file || !link) return;
  function update() {
    const chosen = document.querySelector("input[name='upload_type']:checked");
    file.hidden = !chosen || chosen.value !== "file";
    link.hidden = !chosen || chosen.value !== "link";
  }
  radios.forEach((radio) => radio.addEventListener("change", update));
  update();
})();
