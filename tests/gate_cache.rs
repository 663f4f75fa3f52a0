//! The gate cache from the command line: templates that passed are
//! remembered under the cache directory and give the same output; failures
//! are never remembered; `--no-cache` and `STACKCRAFT_NO_CACHE` turn it off.

mod common;

use std::path::Path;

use common::text;

/// Runs `stackcraft` with its gate cache under `cache`.
fn run(cache: &Path, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    common::command()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("STACKCRAFT_CACHE_DIR", cache)
        .envs(env.iter().copied())
        .args(args)
        .output()
        .expect("the binary runs")
}

/// The remembered templates: files two levels under `<cache>/gate`.
fn remembered(cache: &Path) -> Vec<String> {
    let Ok(builds) = std::fs::read_dir(cache.join("gate")) else {
        return Vec::new();
    };
    let mut names = Vec::new();
    for build in builds {
        for e in std::fs::read_dir(build.unwrap().path()).unwrap() {
            names.push(e.unwrap().file_name().to_string_lossy().into_owned());
        }
    }
    names
}

#[test]
fn passed_templates_are_remembered_and_give_the_same_bytes() {
    let cache = tempfile::tempdir().unwrap();
    let first = run(cache.path(), &["synth", "micro", "--stdout"], &[]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    let keys = remembered(cache.path());
    // micro: the network and one template per service.
    assert!(keys.len() >= 5, "{keys:?}");
    assert!(keys.iter().all(|k| k.len() == 32), "{keys:?}");
    let second = run(cache.path(), &["synth", "micro", "--stdout"], &[]);
    assert!(second.status.success(), "{}", text(&second.stderr));
    assert_eq!(first.stdout, second.stdout);
    assert_eq!(remembered(cache.path()), keys);
}

#[test]
fn a_template_that_fails_is_never_remembered() {
    let cache = tempfile::tempdir().unwrap();
    let config = cache.path().join("open.yaml");
    std::fs::write(
        &config,
        "overrides:\n  todo:\n    UserFilesBucket:\n      Properties.PublicAccessBlockConfiguration.BlockPublicAcls: false\n",
    )
    .unwrap();
    let args = [
        "synth",
        "todo",
        "--stdout",
        "--config",
        config.to_str().unwrap(),
    ];
    for _ in 0..2 {
        let out = run(cache.path(), &args, &[]);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            text(&out.stderr).contains("[SC-S3-001 error]"),
            "{}",
            text(&out.stderr)
        );
        assert!(out.stdout.is_empty());
        assert_eq!(remembered(cache.path()), Vec::<String>::new());
    }
}

#[test]
fn the_cache_can_be_turned_off() {
    let cache = tempfile::tempdir().unwrap();
    let off = run(
        cache.path(),
        &["synth", "todo", "--stdout", "--no-cache"],
        &[],
    );
    assert!(off.status.success(), "{}", text(&off.stderr));
    let env_off = run(
        cache.path(),
        &["synth", "todo", "--stdout"],
        &[("STACKCRAFT_NO_CACHE", "1")],
    );
    assert!(env_off.status.success(), "{}", text(&env_off.stderr));
    assert!(!cache.path().join("gate").exists());
    // A relative cache directory is refused (it would follow the working
    // directory), and so nothing is written in the working directory.
    let relative = common::command()
        .current_dir(cache.path())
        .env("STACKCRAFT_CACHE_DIR", "here")
        .args(["synth", "todo", "--stdout"])
        .output()
        .unwrap();
    assert!(relative.status.success(), "{}", text(&relative.stderr));
    assert!(!cache.path().join("here").exists());
    let zero = run(
        cache.path(),
        &["synth", "todo", "--stdout"],
        &[("STACKCRAFT_NO_CACHE", "0")],
    );
    assert_eq!(zero.stdout, off.stdout);
    assert_eq!(
        remembered(cache.path()).len(),
        1,
        "STACKCRAFT_NO_CACHE=0 keeps it on"
    );
    let on = run(cache.path(), &["synth", "todo", "--stdout"], &[]);
    assert_eq!(on.stdout, off.stdout);
    assert_eq!(remembered(cache.path()).len(), 1);
}
