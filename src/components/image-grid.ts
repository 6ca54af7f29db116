// Grids of small captioned images (test digits, top-activating crops, a feature's top digits): one
// look for every such list on the site.

export interface GridImage {
  canvas: HTMLCanvasElement;
  /** Under the image, e.g. "#2536: 4.05". */
  label: string;
}

/** The images side by side, wrapping, each with its label under it. */
export function figureGrid(images: readonly GridImage[]): HTMLElement {
  const grid = document.createElement("div");
  grid.className = "digit-grid";
  grid.style.cssText = "display:flex;flex-wrap:wrap;gap:6px";
  for (const { canvas, label } of images) {
    const figure = document.createElement("figure");
    figure.style.cssText = "margin:0;text-align:center";
    const caption = document.createElement("figcaption");
    caption.style.font = "11px var(--sans-serif)";
    caption.textContent = label;
    figure.append(canvas, caption);
    grid.append(figure);
  }
  return grid;
}

/** A figureGrid under a one-line title. */
export function imageGrid(title: string, images: readonly GridImage[]): HTMLElement {
  const section = document.createElement("div");
  const heading = document.createElement("div");
  heading.textContent = title;
  heading.style.font = "12px var(--sans-serif)";
  const grid = figureGrid(images);
  grid.style.margin = "2px 0 10px";
  section.append(heading, grid);
  return section;
}
