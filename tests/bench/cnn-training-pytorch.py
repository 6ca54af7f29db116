"""Trains the benchmark CNN with PyTorch's CPU build and prints images/s as JSON on stdout.

The reference that tests/bench/cnn-training.ts compares the Node training with, in the same run:
conv 8@3x3 -> ReLU -> max-pool 2 -> conv 16@3x3 -> ReLU -> max-pool 2 -> flatten -> dense 32 ->
ReLU -> dense 10, valid padding, stride 1, batch 64, one pass over the first --images images.
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


def load_data(directory, count):
    """The first `count` MNIST training images (float32 in [0, 1], NCHW) and labels, or random data."""
    if directory:
        images = read_idx(os.path.join(directory, "train-images-idx3-ubyte"), 4)[: count * 784]
        labels = read_idx(os.path.join(directory, "train-labels-idx1-ubyte"), 2)[:count]
        if len(labels) < count:
            raise SystemExit(f"cnn-training-pytorch.py: {directory} holds only {len(labels)} training images, asked for {count}")
        x = torch.from_numpy(images.astype(np.float32) / 255).reshape(count, 1, 28, 28)
        return x, torch.from_numpy(labels.astype(np.int64))
    generator = torch.Generator().manual_seed(0)
    return torch.rand(count, 1, 28, 28, generator=generator), torch.randint(0, 10, (count,), generator=generator)


def build_model():
    return nn.Sequential(
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=60_000)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--optimizer", choices=["sgd", "adam"], default="sgd")
    parser.add_argument("--data", default="", help="folder with the MNIST IDX files; random data if empty")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    x, y = load_data(args.data, args.images)
    model = build_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001) if args.optimizer == "adam" else torch.optim.SGD(model.parameters(), lr=0.05)
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
    print(json.dumps({
        "imagesPerSecond": args.images / seconds,
        "images": args.images,
        "threads": torch.get_num_threads(),
        "meanLoss": loss_sum / batches,
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
