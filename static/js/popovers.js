// Cells that explain themselves on tap as well as on hover.
document.querySelectorAll("[data-bs-toggle='popover']").forEach((element) => {
  new bootstrap.Popover(element);
});
