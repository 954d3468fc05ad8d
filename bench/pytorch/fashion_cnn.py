#!/usr/bin/env python3
"""samples/fashion_cnn.model's network in PyTorch eager mode, trained as the sample trains it:
the same layers, initializers (He normal, Glorot uniform for the last layer, zero biases), SGD
with momentum under a cosine schedule over all the updates (modelc's `cosine()`), batch size,
epochs and reshuffling every epoch, on the same Fashion-MNIST files,
pixels divided by 255 in the model. Prints each epoch's test loss and accuracy over the 10,000
test images, and the training time (data loading excluded, as modelc's epoch times exclude it).

  fashion_cnn.py [--threads N] [--epochs N] [--lr X] [--data DIR]

--threads 1 matches modelc's one training thread; without it torch uses its default.
"""
import argparse
import gzip
import math
import time

import numpy as np
import torch
import torch.nn.functional as F


def idx(path, offset):
    with gzip.open(path) as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


def load(folder, part):
    x = idx(f"{folder}/{part}-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28)
    y = idx(f"{folder}/{part}-labels-idx1-ubyte.gz", 8)
    return torch.from_numpy(x.astype(np.float64)), torch.from_numpy(y.astype(np.int64))


class LeNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = torch.nn.Conv2d(1, 6, 5, padding=2)
        self.c2 = torch.nn.Conv2d(6, 16, 5)
        self.f1 = torch.nn.Linear(400, 120)
        self.f2 = torch.nn.Linear(120, 84)
        self.f3 = torch.nn.Linear(84, 10)
        for layer in (self.c1, self.c2, self.f1, self.f2):
            torch.nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")
        torch.nn.init.xavier_uniform_(self.f3.weight)
        for layer in (self.c1, self.c2, self.f1, self.f2, self.f3):
            torch.nn.init.zeros_(layer.bias)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.c1(x / 255)), 2)
        h = F.max_pool2d(F.relu(self.c2(h)), 2)
        h = F.relu(self.f1(h.flatten(1)))
        return self.f3(F.relu(self.f2(h)))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--epochs", type=int, default=6)
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    a = p.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    torch.manual_seed(42)
    torch.set_default_dtype(torch.float64)
    x, y = load(a.data, "train")
    tx, ty = load(a.data, "t10k")
    model = LeNet()
    opt = torch.optim.SGD(model.parameters(), lr=a.lr, momentum=0.9)
    steps = a.epochs * math.ceil(len(x) / a.batch)
    # modelc's cosine(): lr * (1 + cos(pi * t / steps)) / 2 at update t, from 0.
    cosine = torch.optim.lr_scheduler.LambdaLR(opt, lambda t: (1 + math.cos(math.pi * t / steps)) / 2)
    total = 0.0
    for epoch in range(1, a.epochs + 1):
        start = time.perf_counter()
        order = torch.randperm(len(x))
        for i in range(0, len(x), a.batch):
            rows = order[i:i + a.batch]
            opt.zero_grad()
            F.cross_entropy(model(x[rows]), y[rows]).backward()
            opt.step()
            cosine.step()
        total += time.perf_counter() - start
        with torch.no_grad():
            logits = model(tx)
            loss = F.cross_entropy(logits, ty).item()
            accuracy = (logits.argmax(1) == ty).double().mean().item()
        print(f"epoch {epoch}/{a.epochs}  test loss {loss:.4f}  test accuracy {accuracy:.4f}  "
              f"({total:.1f} s training so far)", flush=True)
    print(f"threads {torch.get_num_threads()}: {total:.1f} s training, {a.epochs} epochs")


if __name__ == "__main__":
    main()
