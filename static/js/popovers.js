// A progress cell explains itself on hover (its title) and, on tap or keyboard focus, in a
// popover made the first time it is needed: a large plan has thousands of cells.
document.addEventListener("focusin", (event) => {
  const cell = event.target.closest ? event.target.closest(".cairn-cell") : null;
  if (!cell || bootstrap.Popover.getInstance(cell)) {
    return;
  }
  bootstrap.Popover.getOrCreateInstance(cell, {
    trigger: "focus",
    placement: "top",
    title: cell.dataset.milestone || "",
    content: cell.dataset.state || cell.title,
  }).show();
});
