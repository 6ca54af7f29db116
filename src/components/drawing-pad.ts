// A canvas the reader draws a digit on with a mouse, pen or finger. Its `value` is the ink
// image (or null when empty), and it dispatches "input" events so that Framework's view()
// makes the drawing reactive: throttled while drawing, at the end of each stroke, and on Clear.

export interface DrawingValue {
  width: number;
  height: number;
  /** width × height ink intensity in [0, 1], row-major; 1 = full ink. */
  gray: Float32Array;
}

export interface DrawingPadOptions {
  /** Side of the square canvas in pixels (drawing resolution and displayed size). */
  size?: number;
  /** Pen width in canvas pixels. */
  lineWidth?: number;
}

export type DrawingPad = HTMLDivElement & { value: DrawingValue | null };

/** Minimum time between input events while a stroke is in progress. */
const THROTTLE_MS = 50;
const BACKGROUND = "#ffffff";
const INK = "#000000";

export function drawingPad(options: DrawingPadOptions = {}): DrawingPad {
  const { size = 280, lineWidth = 18 } = options;
  if (!Number.isInteger(size) || size < 8) throw new Error(`drawingPad size: expected an integer number of pixels ≥ 8, found ${size}`);
  if (!(lineWidth > 0 && lineWidth <= size)) throw new Error(`drawingPad lineWidth: expected a width in (0, ${size}] pixels, found ${lineWidth}`);

  const root = document.createElement("div") as DrawingPad;
  root.className = "drawing-pad";
  root.setAttribute("data-testid", "drawing-pad");
  root.style.display = "inline-flex";
  root.style.flexDirection = "column";
  root.style.alignItems = "flex-start";
  root.style.gap = "6px";

  const canvas = document.createElement("canvas");
  canvas.width = size;
  canvas.height = size;
  canvas.style.width = `${size}px`;
  canvas.style.height = "auto"; // keeps the square shape when max-width shrinks it
  canvas.style.maxWidth = "100%";
  canvas.style.border = "1px solid var(--theme-foreground-faint, #bbb)";
  canvas.style.borderRadius = "4px";
  canvas.style.cursor = "crosshair";
  canvas.style.touchAction = "none"; // no scrolling or zooming while drawing with a finger
  canvas.style.background = BACKGROUND;
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", "Drawing pad: draw a digit here");

  const clearButton = document.createElement("button");
  clearButton.type = "button";
  clearButton.textContent = "Clear";

  root.append(canvas, clearButton);

  const context = canvas.getContext("2d", { willReadFrequently: true });
  if (!context) throw new Error("drawingPad: this browser gives no 2D canvas context");
  const ctx = context;

  let hasInk = false;
  let cached: DrawingValue | null = null;
  let cacheValid = true;
  let lastDispatch = -Infinity;

  function paintBackground(): void {
    ctx.globalCompositeOperation = "source-over";
    ctx.fillStyle = BACKGROUND;
    ctx.fillRect(0, 0, size, size);
    ctx.strokeStyle = INK;
    ctx.fillStyle = INK;
    ctx.lineWidth = lineWidth;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
  }

  function readValue(): DrawingValue | null {
    if (!hasInk) return null;
    if (cacheValid && cached) return cached;
    const { data } = ctx.getImageData(0, 0, size, size);
    const gray = new Float32Array(size * size);
    for (let i = 0; i < gray.length; i++) {
      const o = i * 4;
      // Ink is dark on white: ink = 1 − luminance (Rec. 709 weights).
      const luminance = (0.2126 * data[o] + 0.7152 * data[o + 1] + 0.0722 * data[o + 2]) / 255;
      gray[i] = Math.min(1, Math.max(0, 1 - luminance));
    }
    cached = { width: size, height: size, gray };
    cacheValid = true;
    return cached;
  }

  function notify(): void {
    lastDispatch = performance.now();
    root.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function clear(): void {
    paintBackground();
    hasInk = false;
    cached = null;
    cacheValid = true;
  }

  // Smooth strokes: quadratic curves through the midpoints of successive pointer positions.
  let activePointer: number | null = null;
  let previous = { x: 0, y: 0 };
  let previousMid = { x: 0, y: 0 };

  function toCanvas(event: PointerEvent): { x: number; y: number } {
    // The border is outside the drawing area (clientLeft/clientWidth exclude it); CSS may scale the canvas.
    const rect = canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - rect.left - canvas.clientLeft) * size) / (canvas.clientWidth || size),
      y: ((event.clientY - rect.top - canvas.clientTop) * size) / (canvas.clientHeight || size),
    };
  }

  function inked(): void {
    hasInk = true;
    cacheValid = false;
  }

  canvas.addEventListener("pointerdown", (event) => {
    if (activePointer !== null || (event.pointerType === "mouse" && event.button !== 0)) return;
    event.preventDefault();
    activePointer = event.pointerId;
    canvas.setPointerCapture(event.pointerId);
    previous = previousMid = toCanvas(event);
    // A tap leaves a round dot.
    ctx.beginPath();
    ctx.arc(previous.x, previous.y, lineWidth / 2, 0, 2 * Math.PI);
    ctx.fill();
    inked();
  });

  canvas.addEventListener("pointermove", (event) => {
    if (event.pointerId !== activePointer) return;
    event.preventDefault();
    const samples = typeof event.getCoalescedEvents === "function" ? event.getCoalescedEvents() : [];
    for (const sample of samples.length > 0 ? samples : [event]) {
      const point = toCanvas(sample);
      const mid = { x: (previous.x + point.x) / 2, y: (previous.y + point.y) / 2 };
      ctx.beginPath();
      ctx.moveTo(previousMid.x, previousMid.y);
      ctx.quadraticCurveTo(previous.x, previous.y, mid.x, mid.y);
      ctx.stroke();
      previous = point;
      previousMid = mid;
    }
    inked();
    if (performance.now() - lastDispatch >= THROTTLE_MS) notify();
  });

  const endStroke = (event: PointerEvent) => {
    if (event.pointerId !== activePointer) return;
    activePointer = null;
    ctx.beginPath();
    ctx.moveTo(previousMid.x, previousMid.y);
    ctx.lineTo(previous.x, previous.y);
    ctx.stroke();
    inked();
    if (canvas.hasPointerCapture(event.pointerId)) canvas.releasePointerCapture(event.pointerId);
    notify();
  };
  canvas.addEventListener("pointerup", endStroke);
  canvas.addEventListener("pointercancel", endStroke);

  clearButton.addEventListener("click", () => {
    clear();
    notify();
  });

  Object.defineProperty(root, "value", {
    get: readValue,
    // Framework and Inputs may set a view's value; only "empty" makes sense for a drawing.
    set(next: DrawingValue | null) {
      if (next !== null) throw new Error("drawingPad value: only null (clear the pad) can be assigned");
      clear();
    },
    enumerable: true,
  });

  clear();
  return root;
}
