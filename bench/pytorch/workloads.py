#!/usr/bin/env python3
"""The reference workloads W1-W7 in PyTorch eager mode, on the data and initial parameters
that modelc's side wrote (dev.modelc.bench.Export), so both sides train the same model on
the same numbers in the same batch order with the same optimizer.

  workloads.py check DIR [W ...]      first losses of each workload (3; W4: 59, across its partial
                                      last batch and the next epoch's order), as JSON; each
                                      parameter's gradient at step 0 into DIR/W/grad_NAME.f64
  workloads.py twins DIR              W4 under other optimizers, schedules and clipping: losses as
                                      JSON, the parameters after them into DIR/twins/NAME/
  workloads.py time DIR W THREADS     median time of the workload's unit, as JSON
  workloads.py predict DIR W ROWS THREADS
                                      median time of softmax(model(x)) under torch.no_grad() on
                                      the first ROWS rows (W4, W5), as JSON

Timing: the unit (the same as the JMH benchmark's) is run for a warm-up period, then
measured one unit at a time for a measurement period; the median is reported.
"""
import json
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

WARMUP_SECONDS = float(os.environ.get("BENCH_WARMUP_SECONDS", "5"))
MEASURE_SECONDS = float(os.environ.get("BENCH_MEASURE_SECONDS", "10"))
DTYPES = {".f32": np.float32, ".f64": np.float64, ".i32": np.int32}


class Workload:
    """A model with its exported data and parameters; unit() runs the timed unit once."""

    def __init__(self, folder, name, meta):
        self.folder = os.path.join(folder, name)
        self.arrays = meta["arrays"]
        # modelc's parameter names: the tensor holding each, and whether it is held transposed.
        self.named = {}
        self.clip = None
        self.scheduler = None
        self.clipped = 0

    def array(self, name):
        entry = self.arrays[name]
        ext = os.path.splitext(entry["file"])[1]
        values = np.fromfile(os.path.join(self.folder, entry["file"]), dtype=DTYPES[ext])
        return torch.from_numpy(values.reshape(entry["shape"]).copy())

    def linear(self, weight, bias):
        """nn.Linear holding modelc's x @ W + b, W of shape [in, out], as its transposed weight."""
        w = self.array(weight)
        layer = torch.nn.Linear(w.shape[0], w.shape[1])
        with torch.no_grad():
            layer.weight.copy_(w.t())
            layer.bias.copy_(self.array(bias))
        self.named[weight] = (layer.weight, True)
        self.named[bias] = (layer.bias, False)
        return layer

    def write_named(self, folder, prefix, gradients):
        """Each named parameter (or its gradient) in modelc's layout, as float64."""
        os.makedirs(folder, exist_ok=True)
        for name, (tensor, transposed) in self.named.items():
            values = tensor.grad if gradients else tensor
            values = values.detach()
            values = values.t() if transposed else values
            values.contiguous().numpy().astype(np.float64).tofile(os.path.join(folder, prefix + name + ".f64"))

    def sgd(self, params, lr, momentum=0.0):
        return torch.optim.SGD(params, lr=lr, momentum=momentum)

    def train_step(self, x, y):
        self.opt.zero_grad(set_to_none=True)
        loss = self.loss(self.model(x), y)
        loss.backward()
        if self.clip is not None:
            norm = torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.clip)
            self.clipped += int(norm > self.clip)
        self.opt.step()
        if self.scheduler is not None:
            self.scheduler.step()
        return loss


class W1(Workload):
    """J = x^2 + 2 y^2 from (-3, -3), gradient descent with lr 0.1 until J < 0.005."""

    def __init__(self, folder, meta):
        super().__init__(folder, "W1", meta)
        self.start = (self.array("x").clone(), self.array("y").clone())
        self.x = self.start[0].clone().requires_grad_(True)
        self.y = self.start[1].clone().requires_grad_(True)
        self.named = {"x": (self.x, False), "y": (self.y, False)}
        self.opt = self.sgd([self.x, self.y], 0.1)

    def step(self, s):
        self.opt.zero_grad(set_to_none=True)
        j = self.x ** 2 + 2 * self.y ** 2
        j.backward()
        self.opt.step()
        return j

    def unit(self):
        with torch.no_grad():
            self.x.copy_(self.start[0])
            self.y.copy_(self.start[1])
        while True:
            self.opt.zero_grad(set_to_none=True)
            j = self.x ** 2 + 2 * self.y ** 2
            if j.item() < 0.005:
                return j
            j.backward()
            self.opt.step()


class FullBatch(Workload):
    """W2 and W6: every row in one batch; the unit is a number of steps."""

    def __init__(self, folder, name, meta, model, loss, lr, steps, target):
        super().__init__(folder, name, meta)
        self.model = model(self)
        self.loss = loss
        self.opt = self.sgd(self.model.parameters(), lr)
        self.steps = steps
        self.x = self.array("x")
        self.y = self.array(target)

    def step(self, s):
        return self.train_step(self.x, self.y)

    def unit(self):
        for _ in range(self.steps):
            loss = self.train_step(self.x, self.y)
        return loss


class Shuffled(Workload):
    """W3 and W4: one epoch in batches of 32, in the next of the exported epoch orders."""

    def __init__(self, folder, name, meta, model, loss, opt, target):
        super().__init__(folder, name, meta)
        self.model = model(self)
        self.loss = loss
        self.opt = opt(self, self.model.parameters())
        self.x = self.array("x")
        self.y = self.array(target)
        if target == "labels":
            self.y = self.y.long()
        self.orders = [order.long() for order in self.array("orders")]
        self.epoch = 0

    def batch(self, order, start):
        rows = order[start:start + 32]
        return self.x[rows], self.y[rows]

    def step(self, s):
        """Step s of training from the start: epoch s // steps_per_epoch, in its exported order."""
        per_epoch = (len(self.orders[0]) + 31) // 32
        order = self.orders[(s // per_epoch) % len(self.orders)]
        return self.train_step(*self.batch(order, 32 * (s % per_epoch)))

    def unit(self):
        order = self.orders[self.epoch % len(self.orders)]
        self.epoch += 1
        for start in range(0, len(order), 32):
            loss = self.train_step(*self.batch(order, start))
        return loss


class InOrder(Workload):
    """W5 and W7: step s trains on rows batch (s mod batches) onwards, a view of the data."""

    def __init__(self, folder, name, meta, model, opt, batch, image=None):
        super().__init__(folder, name, meta)
        self.model = model(self)
        self.loss = F.cross_entropy
        self.opt = opt(self.model.parameters())
        self.x = self.array("x")
        if image is not None:
            self.x = self.x.view(-1, *image)
        self.y = self.array("labels").long()
        self.batch = batch
        self.next = 0

    def conv2d(self, kernel, bias):
        """nn.Conv2d with modelc's kernel [filters, channels, kh, kw] and bias [filters, 1, 1]."""
        k = self.array(kernel)
        layer = torch.nn.Conv2d(k.shape[1], k.shape[0], (k.shape[2], k.shape[3]))
        with torch.no_grad():
            layer.weight.copy_(k)
            layer.bias.copy_(self.array(bias).reshape(-1))
        self.named[kernel] = (layer.weight, False)
        self.named[bias] = (layer.bias, False)
        return layer

    def step(self, s):
        start = self.batch * (s % (len(self.y) // self.batch))
        return self.train_step(self.x[start:start + self.batch], self.y[start:start + self.batch])

    def unit(self):
        loss = self.step(self.next)
        self.next += 1
        return loss


def lenet(w):
    """W7: conv 5x5 to 6, ReLU, max pool 2, conv 5x5 to 16, ReLU, max pool 2, 256 -> 120 -> 84 -> 10."""
    return torch.nn.Sequential(w.conv2d("K1", "b1"), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                               w.conv2d("K2", "b2"), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(),
                               w.linear("W3", "b3"), torch.nn.ReLU(), w.linear("W4", "b4"), torch.nn.ReLU(),
                               w.linear("W5", "b5"))


def make(folder, name, meta):
    m = meta[name]
    if name == "W1":
        return W1(folder, m)
    if name == "W2":
        return FullBatch(folder, name, m, lambda w: w.linear("W", "b"), F.mse_loss, 0.01, 1000, "y")
    if name == "W3":
        return Shuffled(folder, name, m, lambda w: w.linear("W", "b"), F.binary_cross_entropy_with_logits,
                        lambda w, p: w.sgd(p, 0.1), "y")
    if name == "W4":
        return Shuffled(folder, name, m,
                        lambda w: torch.nn.Sequential(w.linear("W1", "b1"), torch.nn.ReLU(), w.linear("W2", "b2")),
                        F.cross_entropy, lambda w, p: w.sgd(p, 0.01, momentum=0.9), "labels")
    if name == "W5":
        return InOrder(folder, name, m,
                       lambda w: torch.nn.Sequential(w.linear("W1", "b1"), torch.nn.ReLU(), w.linear("W2", "b2"),
                                                     torch.nn.ReLU(), w.linear("W3", "b3")),
                       lambda p: torch.optim.Adam(p, lr=1e-3, betas=(0.9, 0.999), eps=1e-8), 128)
    if name == "W6":
        return FullBatch(folder, name, m,
                         lambda w: torch.nn.Sequential(w.linear("W1", "b1"), torch.nn.ReLU(), w.linear("W2", "b2"),
                                                       torch.nn.ReLU(), w.linear("W3", "b3")),
                         F.mse_loss, 0.01, 1, "y")
    if name == "W7":
        return InOrder(folder, name, m, lenet, lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.9), 64, (1, 28, 28))
    raise SystemExit("unknown workload " + name)


# W4's steps reach past its epoch of 57 steps (the last of 5 rows) into the next epoch's order.
CHECKED_STEPS = {"W4": 59}


def check(folder, names):
    with open(os.path.join(folder, "meta.json")) as f:
        meta = json.load(f)
    losses = {}
    for name in names or sorted(meta):
        workload = make(folder, name, meta)
        first = float(workload.step(0))
        workload.write_named(workload.folder, "grad_", True)
        losses[name] = [first] + [float(workload.step(s)) for s in range(1, CHECKED_STEPS.get(name, 3))]
    print(json.dumps(losses))


TWIN_STEPS = 12
# Each twin trains W4 from its exported start; modelc's side writes the same train block
# (dev.modelc.bench.AgreementTwins).
TWINS = {
    "rmsprop_centered_momentum": lambda p: (torch.optim.RMSprop(p, lr=1e-3, alpha=0.99, eps=1e-8, momentum=0.9,
                                                                centered=True), None, None),
    "adagrad_lr_decay": lambda p: (torch.optim.Adagrad(p, lr=0.05, lr_decay=0.01), None, None),
    "adamw": lambda p: (torch.optim.AdamW(p, lr=1e-3), None, None),
    "cosine_clip_norm": lambda p: (torch.optim.Adam(p, lr=0.01), TWIN_STEPS, 0.5),
}


def twins(folder):
    with open(os.path.join(folder, "meta.json")) as f:
        meta = json.load(f)
    results = {}
    for name, make_twin in TWINS.items():
        workload = make(folder, "W4", meta)
        opt, cosine_steps, clip = make_twin(workload.model.parameters())
        workload.opt = opt
        workload.clip = clip
        if cosine_steps is not None:
            workload.scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=cosine_steps, eta_min=0)
        losses = [float(workload.step(s)) for s in range(TWIN_STEPS)]
        workload.write_named(os.path.join(folder, "twins", name), "param_", False)
        results[name] = {"losses": losses, "clipped": workload.clipped}
    print(json.dumps(results))


def timed(folder, name, threads):
    torch.set_num_threads(threads)
    with open(os.path.join(folder, "meta.json")) as f:
        meta = json.load(f)
    workload = make(folder, name, meta)
    samples = measure(workload.unit)
    print(json.dumps({"workload": name, "threads": torch.get_num_threads(), "median_us": statistics.median(samples) / 1e3,
                      "samples": len(samples), "optimizer": meta[name]["optimizer"], "torch": torch.__version__}))


def predicted(folder, name, rows, threads):
    """A trained classifier serving requests: the workload's model in eval mode, no autograd."""
    torch.set_num_threads(threads)
    with open(os.path.join(folder, "meta.json")) as f:
        meta = json.load(f)
    workload = make(folder, name, meta)
    model = workload.model.eval()
    x = workload.x[:rows].contiguous()

    def call():
        with torch.no_grad():
            return F.softmax(model(x), dim=1)

    samples = measure(call)
    print(json.dumps({"workload": name, "rows": rows, "threads": torch.get_num_threads(),
                      "median_us": statistics.median(samples) / 1e3, "samples": len(samples),
                      "torch": torch.__version__}))


def measure(unit):
    """Runs unit for the warm-up period, then one call at a time for the measurement period; the samples in ns."""
    for phase, seconds, least in (("warmup", WARMUP_SECONDS, 5), ("measure", MEASURE_SECONDS, 10)):
        samples = []
        end = time.perf_counter() + seconds
        while time.perf_counter() < end or len(samples) < least:
            start = time.perf_counter_ns()
            unit()
            samples.append(time.perf_counter_ns() - start)
    return samples


def main(argv):
    if len(argv) >= 2 and argv[0] == "check":
        check(argv[1], argv[2:])
    elif len(argv) == 2 and argv[0] == "twins":
        twins(argv[1])
    elif len(argv) == 4 and argv[0] == "time":
        timed(argv[1], argv[2], int(argv[3]))
    elif len(argv) == 5 and argv[0] == "predict":
        predicted(argv[1], argv[2], int(argv[3]), int(argv[4]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
