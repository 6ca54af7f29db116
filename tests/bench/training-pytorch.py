"""Times training with PyTorch's CPU build and prints the speed as JSON on stdout.

The reference that tests/bench/*.ts compares the Node training with, in the same run:
- --model cnn: conv 8@3x3 -> ReLU -> max-pool 2 -> conv 16@3x3 -> ReLU -> max-pool 2 -> flatten ->
  dense 32 -> ReLU -> dense 10 (valid padding, stride 1); --model mlp: 784-32-16-10 with ReLUs.
  Batch 64, one pass over the first --images MNIST training images, cross-entropy, SGD or Adam.
- --model sae: a sparse autoencoder on the rows of --activations (float32, --d-in values per row),
  --d-sae latents, batch 256, Adam 1e-3, unit-norm decoder rows with the parallel gradient removed,
  --architecture topk (k --k, no AuxK) or l1 (coefficient 2); --steps steps.
Exits with status 3 (and the reason on stderr) when torch or numpy is missing.
"""
import argparse
import json
import os
import sys
import time

try:
    import numpy as np
    import torch
    from torch import nn
except ImportError as error:
    print(f"PyTorch is not installed for {sys.executable}: {error}", file=sys.stderr)
    sys.exit(3)


def read_idx(path, header_ints):
    with open(path, "rb") as file:
        return np.frombuffer(file.read(), dtype=np.uint8, offset=4 * header_ints)


def load_images(directory, count):
    """The first `count` MNIST training images (float32 in [0, 1], N x 784) and labels, or random data."""
    if directory:
        images = read_idx(os.path.join(directory, "train-images-idx3-ubyte"), 4)[: count * 784]
        labels = read_idx(os.path.join(directory, "train-labels-idx1-ubyte"), 2)[:count]
        if len(labels) < count:
            raise SystemExit(f"training-pytorch.py: {directory} holds only {len(labels)} training images, asked for {count}")
        x = torch.from_numpy(images.astype(np.float32) / 255).reshape(count, 784)
        return x, torch.from_numpy(labels.astype(np.int64))
    generator = torch.Generator().manual_seed(0)
    return torch.rand(count, 784, generator=generator), torch.randint(0, 10, (count,), generator=generator)


def build_classifier(name):
    if name == "mlp":
        return nn.Sequential(nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 10))
    return nn.Sequential(
        nn.Unflatten(1, (1, 28, 28)),
        nn.Conv2d(1, 8, 3),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(400, 32),
        nn.ReLU(),
        nn.Linear(32, 10),
    )


def train_classifier(args):
    x, y = load_images(args.data, args.images)
    model = build_classifier(args.model)
    learning_rate = 0.001 if args.optimizer == "adam" else (0.05 if args.model == "cnn" else 0.01)
    optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate) if args.optimizer == "adam" else torch.optim.SGD(model.parameters(), lr=learning_rate)
    loss_function = nn.CrossEntropyLoss()
    order = torch.randperm(args.images, generator=torch.Generator().manual_seed(1))

    # Timed like the Node loop: batch gathering, forward, backward, update, and reading the loss.
    started = time.perf_counter()
    loss_sum = 0.0
    for start in range(0, args.images, args.batch):
        rows = order[start : start + args.batch]
        optimizer.zero_grad()
        loss = loss_function(model(x[rows]), y[rows])
        loss.backward()
        optimizer.step()
        loss_sum += loss.item()
    seconds = time.perf_counter() - started
    batches = (args.images + args.batch - 1) // args.batch
    return {"imagesPerSecond": args.images / seconds, "images": args.images, "meanLoss": loss_sum / batches}


def train_sae(args):
    data = torch.from_numpy(np.fromfile(args.activations, dtype=np.float32).reshape(-1, args.d_in))
    batch, d_in, d_sae = 256, args.d_in, args.d_sae
    generator = torch.Generator().manual_seed(1)
    W_dec = torch.randn(d_sae, d_in, generator=generator)
    W_dec /= W_dec.norm(dim=1, keepdim=True)
    W_enc = W_dec.t().clone().requires_grad_(True)
    W_dec.requires_grad_(True)
    b_enc = torch.zeros(d_sae, requires_grad=True)
    b_dec = data.mean(0).clone().requires_grad_(True)
    optimizer = torch.optim.Adam([W_enc, b_enc, W_dec, b_dec], lr=1e-3)
    order = torch.randperm(len(data), generator=generator)

    def step(i):
        start = (i * batch) % (len(data) - batch)
        x = data[order[start : start + batch]]
        pre = (x - b_dec) @ W_enc + b_enc
        if args.architecture == "topk":
            values, indices = torch.topk(torch.relu(pre), args.k, dim=1)
            codes = torch.zeros_like(pre).scatter(1, indices, values)
            loss = ((codes @ W_dec + b_dec - x) ** 2).sum() / batch
        else:
            codes = torch.relu(pre)
            loss = ((codes @ W_dec + b_dec - x) ** 2).sum() / batch + 2 / batch * codes.sum()
        optimizer.zero_grad()
        loss.backward()
        with torch.no_grad():
            W_dec.grad.sub_((W_dec.grad * W_dec).sum(1, keepdim=True) * W_dec)
        optimizer.step()
        with torch.no_grad():
            W_dec.div_(W_dec.norm(dim=1, keepdim=True))
        return loss.item()

    for i in range(20):
        step(i)
    started = time.perf_counter()
    for i in range(args.steps):
        step(i)
    seconds = time.perf_counter() - started
    return {"stepsPerSecond": args.steps / seconds, "steps": args.steps}


def blas_library():
    """Which BLAS this process loaded (PyTorch's dense products run on it)."""
    try:
        with open("/proc/self/maps") as maps:
            names = {line.split("/")[-1].strip() for line in maps if "blas" in line.lower() or "mkl" in line.lower()}
        return ", ".join(sorted(names)) or "none found"
    except OSError:
        return "unknown"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=["cnn", "mlp", "sae"], default="cnn")
    parser.add_argument("--images", type=int, default=60_000)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--optimizer", choices=["sgd", "adam"], default="sgd")
    parser.add_argument("--data", default="", help="folder with the MNIST IDX files; random data if empty")
    parser.add_argument("--activations", default="", help="--model sae: float32 rows of --d-in values")
    parser.add_argument("--d-in", type=int, default=32)
    parser.add_argument("--d-sae", type=int, default=256)
    parser.add_argument("--architecture", choices=["topk", "l1"], default="topk")
    parser.add_argument("--k", type=int, default=4)
    parser.add_argument("--steps", type=int, default=1000)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    result = train_sae(args) if args.model == "sae" else train_classifier(args)
    print(json.dumps({**result, "threads": torch.get_num_threads(), "torch": torch.__version__, "blas": blas_library()}))


if __name__ == "__main__":
    main()
