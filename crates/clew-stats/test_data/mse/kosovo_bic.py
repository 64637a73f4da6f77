"""An independent check of clew's AIC and BIC on the Kosovo table (kosovo_4list.csv), for the test
`aic_and_bic_choose_as_an_independent_fit_of_every_model_does` in crates/clew-stats/tests/it/mse.rs.

Every hierarchical model (each set of two-list terms, and with it every set of the three-list terms whose three
pairs it has) is fitted as a Poisson GLM with log link by Newton's method, in plain Python with none of clew's
code; the log-likelihood includes -log(y!), AIC = -2 logL + 2k and BIC = -2 logL + k log(n), where k counts the
intercept, the main effects and the interactions and n is the number observed (as Rcapture counts it). Every
pattern of this table has people, so every model's maximum-likelihood estimate exists and no extended estimate is
needed. Run: python3 kosovo_bic.py (prints the three best models by each criterion).
"""
import csv
import math
import os

here = os.path.dirname(os.path.abspath(__file__))
rows = list(csv.reader(open(os.path.join(here, 'kosovo_4list.csv'))))
names = rows[0][:-1]
t = len(names)
cells = []
for r in rows[1:]:
    pattern = sum(int(v) << i for i, v in enumerate(r[:-1]))
    cells.append((pattern, float(r[-1])))
n = sum(c for _, c in cells)
pairs = [(1 << a) | (1 << b) for a in range(t) for b in range(a + 1, t)]
triples = [m for m in range(1 << t) if bin(m).count('1') == 3]

def solve(A, b):
    k = len(b)
    M = [row[:] + [b[i]] for i, row in enumerate(A)]
    for c in range(k):
        p = max(range(c, k), key=lambda r: abs(M[r][c]))
        M[c], M[p] = M[p], M[c]
        for r in range(k):
            if r != c:
                f = M[r][c] / M[c][c]
                for j in range(c, k + 1):
                    M[r][j] -= f * M[c][j]
    return [M[i][k] / M[i][i] for i in range(k)]

def fit(terms):
    cols = [0] + [1 << i for i in range(t)] + list(terms)
    X = [[1.0 if (p & c) == c else 0.0 for c in cols] for p, _ in cells]
    y = [c for _, c in cells]
    beta = [0.0] * len(cols)
    beta[0] = math.log(sum(y) / len(y))
    for _ in range(100):
        eta = [sum(x * b for x, b in zip(row, beta)) for row in X]
        mu = [math.exp(e) for e in eta]
        grad = [sum(X[i][j] * (y[i] - mu[i]) for i in range(len(y))) for j in range(len(cols))]
        H = [[sum(X[i][j] * X[i][k] * mu[i] for i in range(len(y))) for k in range(len(cols))] for j in range(len(cols))]
        step = solve(H, grad)
        beta = [b + s for b, s in zip(beta, step)]
        if max(abs(s) for s in step) < 1e-12:
            break
    eta = [sum(x * b for x, b in zip(row, beta)) for row in X]
    mu = [math.exp(e) for e in eta]
    ll = sum(yi * math.log(m) - m - math.lgamma(yi + 1) for yi, m in zip(y, mu))
    k = len(cols)
    return dict(terms=terms, estimate=n + math.exp(beta[0]), ll=ll, k=k, aic=-2 * ll + 2 * k, bic=-2 * ll + k * math.log(n))

def name(term):
    return '×'.join(names[i] for i in range(t) if term >> i & 1)

fits = []
for mask in range(1 << len(pairs)):
    chosen = [p for i, p in enumerate(pairs) if mask >> i & 1]
    allowed = [tr for tr in triples if sum(1 for p in chosen if p & tr == p) == 3]
    for sub in range(1 << len(allowed)):
        terms = chosen + [tr for i, tr in enumerate(allowed) if sub >> i & 1]
        fits.append(fit(terms))
print(len(fits), 'models')
for crit in ['bic', 'aic']:
    fits.sort(key=lambda f: f[crit])
    for f in fits[:3]:
        print(crit, '[' + ', '.join(name(x) for x in f['terms']) + ']', 'k', f['k'], 'bic %.6f aic %.6f ll %.6f est %.4f' % (f['bic'], f['aic'], f['ll'], f['estimate']))
