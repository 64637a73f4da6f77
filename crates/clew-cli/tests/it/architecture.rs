//! The dependency rules of ARCHITECTURE.md, checked against the crates' manifests and sources.

use std::path::Path;

fn manifest(krate: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(krate).join("Cargo.toml")).unwrap()
}

/// The clew crates and external crates a crate's normal (non-dev) dependencies name.
fn dependencies(krate: &str) -> Vec<String> {
    let text = manifest(krate);
    let section = text.split("[dependencies]").nth(1).unwrap_or("");
    let section = section.split("\n[").next().unwrap_or("");
    section
        .lines()
        .filter_map(|line| line.split(['.', ' ', '=']).next())
        .filter(|n| !n.is_empty())
        .map(String::from)
        .collect()
}

fn clew_crates() -> Vec<String> {
    let mut crates: Vec<String> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|name| name.starts_with("clew-"))
        .collect();
    crates.sort();
    crates
}

#[test]
fn dependency_rules_hold() {
    let allowed: &[(&str, &[&str])] = &[
        ("clew-files", &[]),
        ("clew-model", &[]),
        ("clew-vault", &["clew-files"]),
        ("clew-store", &["clew-model", "clew-files"]),
        ("clew-assess", &["clew-model"]),
        ("clew-stats", &[]),
        ("clew-names", &[]),
        ("clew-screen", &["clew-model", "clew-names"]),
        ("clew-link", &["clew-model", "clew-names"]),
        ("clew-custody", &["clew-model", "clew-files", "clew-store", "clew-vault"]),
        ("clew-intake", &["clew-model", "clew-files", "clew-store", "clew-vault", "clew-assess", "clew-custody"]),
        ("clew-disclosure", &["clew-model", "clew-files", "clew-store", "clew-vault", "clew-custody", "clew-intake"]),
        ("clew-demo", &["clew-model", "clew-intake", "clew-store", "clew-custody"]),
        ("clew-safeline", &["clew-vault"]),
        // The one application layer: it may use every crate; only the CLI (and the coming server) use it.
        (
            "clew-service",
            &[
                "clew-model",
                "clew-files",
                "clew-custody",
                "clew-intake",
                "clew-disclosure",
                "clew-store",
                "clew-demo",
                "clew-vault",
                "clew-assess",
                "clew-stats",
                "clew-names",
                "clew-screen",
                "clew-link",
                "clew-safeline",
            ],
        ),
        // The only crate that knows HTTP: the service, the model's types, the safe line's padding, and reading
        // font files for dossiers' PDFs.
        ("clew-server", &["clew-service", "clew-model", "clew-safeline", "clew-files"]),
        (
            "clew-cli",
            &[
                "clew-service",
                "clew-server",
                "clew-model",
                "clew-files",
                "clew-store",
                "clew-vault",
                "clew-assess",
                "clew-stats",
                "clew-screen",
                "clew-link",
                "clew-safeline",
            ],
        ),
    ];
    for krate in clew_crates() {
        if krate != "clew-cli" && krate != "clew-server" {
            assert!(
                !dependencies(&krate).contains(&"clew-service".to_string()),
                "only the CLI and the server use clew-service; {krate} does"
            );
        }
        let rule = allowed.iter().find(|(name, _)| *name == krate);
        let Some((_, allowed)) = rule else {
            panic!("{krate} has no dependency rule in this test and ARCHITECTURE.md")
        };
        for dependency in dependencies(&krate).iter().filter(|d| d.starts_with("clew-")) {
            assert!(allowed.contains(&dependency.as_str()), "{krate} must not depend on {dependency}");
        }
        if krate != "clew-store" {
            assert!(
                !dependencies(&krate).contains(&"rusqlite".to_string()),
                "only clew-store talks SQL; {krate} uses rusqlite"
            );
        }
    }
}

#[test]
fn the_model_the_assessment_the_statistics_the_names_screening_and_linkage_do_no_file_io() {
    let sources = [
        "../clew-model/src",
        "../clew-assess/src",
        "../clew-stats/src",
        "../clew-names/src",
        "../clew-screen/src",
        "../clew-link/src",
    ]
    .map(|dir| Path::new(env!("CARGO_MANIFEST_DIR")).join(dir));
    // Every source file, in module directories too.
    let mut files = Vec::new();
    let mut directories: Vec<std::path::PathBuf> = sources.to_vec();
    while let Some(directory) = directories.pop() {
        for entry in std::fs::read_dir(&directory).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                directories.push(path);
            } else {
                files.push(path);
            }
        }
    }
    assert!(files.iter().any(|f| f.ends_with("mse/model.rs")), "module directories are searched");
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap();
        for forbidden in ["std::fs", "std::net", "File::open", "std::io::stdin"] {
            assert!(!code.contains(forbidden), "{} uses {forbidden}", path.display());
        }
    }
}
