# The seed's worked example in PyTorch, printing what `modelc train samples/quadratic.model` prints:
# J(x, y) = x^2 + 2y^2 from (-3, -3), gradient descent with lr 0.1 until J < 0.005.
import torch

x = torch.tensor(-3.0, dtype=torch.float64, requires_grad=True)
y = torch.tensor(-3.0, dtype=torch.float64, requires_grad=True)
optimizer = torch.optim.SGD([x, y], lr=0.1)
print("training Quadratic (seed.py, f64): gd lr=0.1, stop when J < 0.005, at most 100 updates")
print(f"{'iter':>6} {'x':>12} {'y':>12} {'J':>12}")
for step in range(101):
    J = x ** 2 + 2 * y ** 2
    print(f"{step:6d} {x.item():12.6f} {y.item():12.6f} {J.item():12.6f}")
    if J.item() < 0.005 or step == 100:
        break
    optimizer.zero_grad()
    J.backward()
    optimizer.step()
print(f"stopped: J < 0.005 after {step} updates (J = {J.item():.6f})")
