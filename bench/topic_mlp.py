"""A one-hidden-layer MLP over a sparse TF-IDF row (a tf-idf-weighted embedding bag), trained with torch, scored
with numpy.

    weights = fit_mlp(x, y, sample_weight=None, seed=0, hidden=64)   # x: scipy CSR (n, F), y: int labels
    log_probs = mlp_scores(weights, x)                               # numpy only, no torch at inference

x -> Linear(F, H) (an embedding bag: the sum of the rows of W1 picked by x's non-zeros, times their values) -> ReLU
-> dropout -> Linear(H, K). Adam (on the first layer a lazy Adam by hand: only the rows a batch touches, L2
weight decay on those rows), class-balanced cross-entropy, a fixed number of epochs. torch is imported only
while training and runs on one thread; it is not a dependency of the project (`pip install torch==2.13.0` to run).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def fit_mlp(x: sp.csr_matrix, y: np.ndarray, sample_weight: np.ndarray | None = None, seed: int = 0,
            hidden: int = 64, epochs: int = 8, lr: float = 3e-3, wd: float = 1e-6, dropout: float = 0.3,
            in_drop: float = 0.0, batch: int = 32, init: float = 0.1, balanced: bool = True, zero_unseen: bool = True,
            n_classes: int | None = None, threads: int = 1) -> dict:
    """Train; return numpy weights {'W1' (F, H), 'b1' (H,), 'W2' (H, K), 'b2' (K,)} (float32)."""
    import torch

    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    x = sp.csr_matrix(x, dtype=np.float32)
    y = np.asarray(y, dtype=np.int64)
    n, f = x.shape
    k = int(n_classes or y.max() + 1)
    cw = np.ones(k)
    if balanced:
        cnt = np.bincount(y, minlength=k).astype(float)
        cw = np.where(cnt > 0, n / (k * np.maximum(cnt, 1)), 0.0)
    sw = np.ones(n) if sample_weight is None else np.asarray(sample_weight, float)
    w_row = torch.tensor(sw * cw[y], dtype=torch.float32)

    # first layer: lazy Adam by hand on the rows a batch touches (no sparse-gradient coalescing, which is slow)
    w1 = torch.randn(f, hidden) * init
    m1, v1 = torch.zeros(f, hidden), torch.zeros(f, hidden)
    b1 = torch.nn.Parameter(torch.zeros(hidden))
    out = torch.nn.Linear(hidden, k)
    opt = torch.optim.Adam([b1, *out.parameters()], lr=lr, weight_decay=wd)
    drop = torch.nn.Dropout(dropout)
    yt = torch.tensor(y)
    beta1, beta2, eps, t = 0.9, 0.999, 1e-8, 0
    for _ in range(epochs):
        order = rng.permutation(n)
        for s in range(0, n, batch):
            rows = order[s : s + batch]
            xb = x[rows]
            vals = xb.data
            if in_drop:
                vals = vals * (rng.random(len(vals)) >= in_drop) / (1 - in_drop)
            u, inv = np.unique(xb.indices, return_inverse=True)
            ut = torch.from_numpy(u.astype(np.int64))
            wa = w1[ut].requires_grad_()
            h = torch.nn.functional.embedding_bag(torch.from_numpy(inv.astype(np.int64)), wa,
                                                  torch.from_numpy(xb.indptr[:-1].astype(np.int64)), mode="sum",
                                                  per_sample_weights=torch.from_numpy(vals.astype(np.float32)))
            logits = out(drop(torch.relu(h + b1)))
            loss = (torch.nn.functional.cross_entropy(logits, yt[rows], reduction="none") * w_row[rows]).sum()
            loss = loss / w_row[rows].sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
            t += 1
            with torch.no_grad():
                g = wa.grad + wd * wa
                m = m1[ut].mul_(beta1).add_(g, alpha=1 - beta1)
                v = v1[ut].mul_(beta2).addcmul_(g, g, value=1 - beta2)
                m1[ut], v1[ut] = m, v
                step = lr * (m / (1 - beta1**t)) / ((v / (1 - beta2**t)).sqrt_() + eps)
                w1[ut] = wa.detach() - step
    if zero_unseen:
        w1[torch.from_numpy(np.diff(x.tocsc().indptr) == 0)] = 0  # columns no training row has: their init is noise
    return {"W1": w1.numpy().copy(), "b1": b1.detach().numpy().copy(),
            "W2": out.weight.detach().numpy().T.copy(), "b2": out.bias.detach().numpy().copy()}


def mlp_scores(weights: dict, x: sp.csr_matrix) -> np.ndarray:
    """Log-probabilities (n, K); numpy only. W1 may be float16 (it is cast per product)."""
    w1 = weights["W1"]
    h = np.asarray(sp.csr_matrix(x, dtype=np.float32) @ w1.astype(np.float32, copy=False)) + weights["b1"]
    z = np.maximum(h, 0) @ weights["W2"] + weights["b2"]
    z = z - z.max(1, keepdims=True)
    return z - np.log(np.exp(z).sum(1, keepdims=True))
