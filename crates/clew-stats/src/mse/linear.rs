//! The small dense linear algebra the log-linear fits need: Cholesky solves of the weighted normal equations,
//! reduced row echelon form (rank, pivot columns, null space), and a simplex for the existence check. The
//! matrices are at most a few dozen columns wide, so plain dense code is the fastest and simplest.

/// Tolerance, relative to the largest entry, below which a pivot counts as zero.
const RELATIVE_ZERO: f64 = 1e-9;

/// The lower-triangular Cholesky factor of a symmetric positive-definite n×n matrix (row-major); `None` when
/// it is not positive definite (for X'WX: a design not of full column rank).
pub fn cholesky(a: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; n * n];
    let scale = (0..n).map(|i| a[i * n + i].abs()).fold(0.0, f64::max).max(1e-300);
    for i in 0..n {
        for j in 0..=i {
            let sum: f64 = l[i * n..i * n + j].iter().zip(&l[j * n..j * n + j]).map(|(a, b)| a * b).sum();
            if i == j {
                let d = a[i * n + i] - sum;
                if d <= 1e-12 * scale {
                    return None;
                }
                l[i * n + i] = d.sqrt();
            } else {
                l[i * n + j] = (a[i * n + j] - sum) / l[j * n + j];
            }
        }
    }
    Some(l)
}

/// Solves L L' x = b for a Cholesky factor L.
pub fn cholesky_solve(l: &[f64], b: &[f64], n: usize) -> Vec<f64> {
    let mut y = vec![0.0; n];
    for i in 0..n {
        y[i] = (b[i] - (0..i).map(|k| l[i * n + k] * y[k]).sum::<f64>()) / l[i * n + i];
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        x[i] = (y[i] - (i + 1..n).map(|k| l[k * n + i] * x[k]).sum::<f64>()) / l[i * n + i];
    }
    x
}

/// A matrix's pivot columns (a maximal independent set, earliest first) and a basis of its null space.
pub struct Echelon {
    /// The pivot columns, ascending.
    pub pivots: Vec<usize>,
    /// Vectors v with M v = 0, one per free column, each scaled so its largest entry is 1 in size.
    pub null_space: Vec<Vec<f64>>,
}

/// Reduces the matrix (given by rows, `columns` wide) to row echelon form with partial pivoting.
pub fn echelon(rows: &[Vec<f64>], columns: usize) -> Echelon {
    let mut m: Vec<Vec<f64>> = rows.to_vec();
    let scale = m.iter().flatten().fold(0.0_f64, |a, b| a.max(b.abs())).max(1e-300);
    let zero = RELATIVE_ZERO * scale;
    let mut pivots = Vec::new();
    let mut row = 0;
    for column in 0..columns {
        if row == m.len() {
            break;
        }
        let best = (row..m.len()).max_by(|a, b| m[*a][column].abs().total_cmp(&m[*b][column].abs()));
        let Some(best) = best.filter(|b| m[*b][column].abs() > zero) else { continue };
        m.swap(row, best);
        let pivot = m[row][column];
        for value in &mut m[row] {
            *value /= pivot;
        }
        for other in 0..m.len() {
            if other != row && m[other][column] != 0.0 {
                let factor = m[other][column];
                let pivot_row = m[row].clone();
                for (value, p) in m[other][column..columns].iter_mut().zip(&pivot_row[column..columns]) {
                    *value -= factor * p;
                }
            }
        }
        pivots.push(column);
        row += 1;
    }
    let null_space = (0..columns)
        .filter(|c| !pivots.contains(c))
        .map(|free| {
            let mut v = vec![0.0; columns];
            v[free] = 1.0;
            for (r, pivot) in pivots.iter().enumerate() {
                v[*pivot] = -m[r][free];
            }
            let largest = v.iter().fold(0.0_f64, |a, b| a.max(b.abs()));
            v.iter().map(|x| x / largest).collect()
        })
        .collect();
    Echelon { pivots, null_space }
}

/// Maximises c·x subject to A x ≤ b and x ≥ 0, where b ≥ 0 (so x = 0 is feasible) and the objective is
/// bounded. Dense tableau simplex with Bland's rule, which cannot cycle. Returns x, or `None` if it does not
/// reach the optimum (unbounded, or more pivots than a problem of this size can need).
pub fn simplex_max(a: &[Vec<f64>], b: &[f64], c: &[f64]) -> Option<Vec<f64>> {
    let (m, n) = (a.len(), c.len());
    let width = n + m + 1;
    let mut tableau: Vec<Vec<f64>> = a
        .iter()
        .zip(b)
        .enumerate()
        .map(|(i, (row, rhs))| {
            let mut t = vec![0.0; width];
            t[..n].copy_from_slice(row);
            t[n + i] = 1.0;
            t[width - 1] = *rhs;
            t
        })
        .collect();
    // Reduced costs of maximisation: a column may enter while its entry is positive.
    let mut reduced: Vec<f64> = c.iter().copied().chain(std::iter::repeat_n(0.0, m + 1)).collect();
    let mut basis: Vec<usize> = (n..n + m).collect();
    let epsilon = 1e-9;
    let mut optimal = false;
    for _ in 0..100_000 {
        let Some(entering) = (0..n + m).find(|j| reduced[*j] > epsilon) else {
            optimal = true;
            break;
        };
        let mut leaving: Option<(f64, usize)> = None;
        for (i, row) in tableau.iter().enumerate() {
            if row[entering] > epsilon {
                let ratio = row[width - 1] / row[entering];
                let better = match leaving {
                    None => true,
                    Some((best, at)) => ratio < best - epsilon || (ratio <= best + epsilon && basis[i] < basis[at]),
                };
                if better {
                    leaving = Some((ratio, i));
                }
            }
        }
        let (_, pivot_row) = leaving?;
        let pivot = tableau[pivot_row][entering];
        for value in &mut tableau[pivot_row] {
            *value /= pivot;
        }
        let pivot_values = tableau[pivot_row].clone();
        for (i, row) in tableau.iter_mut().enumerate() {
            if i != pivot_row && row[entering] != 0.0 {
                let factor = row[entering];
                for (value, p) in row.iter_mut().zip(&pivot_values) {
                    *value -= factor * p;
                }
            }
        }
        let factor = reduced[entering];
        for (value, p) in reduced.iter_mut().zip(&pivot_values) {
            *value -= factor * p;
        }
        basis[pivot_row] = entering;
    }
    if !optimal {
        return None;
    }
    let mut x = vec![0.0; n];
    for (i, variable) in basis.iter().enumerate() {
        if *variable < n {
            x[*variable] = tableau[i][width - 1];
        }
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echelon_finds_rank_pivots_and_null_space() {
        // Column 2 = column 0 + column 1.
        let rows = vec![vec![1.0, 0.0, 1.0], vec![0.0, 1.0, 1.0], vec![1.0, 1.0, 2.0]];
        let e = echelon(&rows, 3);
        assert_eq!(e.pivots, vec![0, 1]);
        assert_eq!(e.null_space.len(), 1);
        for row in &rows {
            let product: f64 = row.iter().zip(&e.null_space[0]).map(|(a, b)| a * b).sum();
            assert!(product.abs() < 1e-12);
        }
    }

    #[test]
    fn simplex_solves_a_small_program() {
        // max 3x + 2y, x + y ≤ 4, x + 3y ≤ 6, x ≤ 3: optimum (3, 1), value 11.
        let x = simplex_max(&[vec![1.0, 1.0], vec![1.0, 3.0], vec![1.0, 0.0]], &[4.0, 6.0, 3.0], &[3.0, 2.0]).unwrap();
        assert!((x[0] - 3.0).abs() < 1e-9 && (x[1] - 1.0).abs() < 1e-9, "{x:?}");
    }

    #[test]
    fn cholesky_solves_and_refuses_singular() {
        let a = [4.0, 2.0, 2.0, 3.0];
        let l = cholesky(&a, 2).unwrap();
        let x = cholesky_solve(&l, &[2.0, 1.0], 2);
        assert!((4.0 * x[0] + 2.0 * x[1] - 2.0).abs() < 1e-12 && (2.0 * x[0] + 3.0 * x[1] - 1.0).abs() < 1e-12);
        assert!(cholesky(&[1.0, 1.0, 1.0, 1.0], 2).is_none());
    }
}
