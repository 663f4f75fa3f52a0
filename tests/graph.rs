//! `stackcraft graph`: the seed flows of the three architectures appear as
//! paths, plumbing is folded, every format is byte-stable, the SVG is
//! well-formed, and README's diagrams are the tool's current output.

use std::process::Command;

use stackcraft::blueprints::BuiltIn;
use stackcraft::graph::{self, Detail, Graph};

fn graph_of(b: BuiltIn, detail: Detail) -> Graph {
    let artifacts = b.synth(None).expect("the blueprint synthesizes");
    let stacks = graph::stacks_of(&artifacts).expect("synthesized templates parse");
    graph::build(&stacks, detail)
}

/// Asserts each consecutive pair of `path` is joined by an edge.
fn assert_path(g: &Graph, path: &[&str]) {
    for pair in path.windows(2) {
        assert!(
            g.edges.iter().any(|e| e.from == pair[0] && e.to == pair[1]),
            "no edge {} -> {}; edges: {:#?}",
            pair[0],
            pair[1],
            g.edges
        );
    }
}

fn label<'a>(g: &'a Graph, from: &str, to: &str) -> &'a str {
    g.edges
        .iter()
        .find(|e| e.from == from && e.to == to)
        .map(|e| e.label.as_str())
        .unwrap_or_else(|| panic!("no edge {from} -> {to}"))
}

#[test]
fn todo_api_reaches_the_table_through_the_function_and_dax() {
    let g = graph_of(BuiltIn::Todo, Detail::Flows);
    assert_path(
        &g,
        &[
            "todo.TodoApi",
            "todo.TodoApiFunction",
            "todo.DaxCluster",
            "todo.TodoTable",
        ],
    );
    assert!(label(&g, "todo.TodoApi", "todo.TodoApiFunction").contains("GET, POST /todos"));
    assert_path(&g, &["todo.TodoApi", "todo.UserPool"]);
    assert_path(&g, &["todo.IdentityPool", "todo.UserFilesBucket"]);
    for id in ["todo.TodoApiFunction", "todo.DaxCluster"] {
        assert!(g.node(id).unwrap().in_vpc, "{id} is in the VPC");
    }
    assert!(!g.node("todo.TodoTable").unwrap().in_vpc);
    assert!(g.stacks[0].vpc);
}

#[test]
fn blog_cdn_serves_the_site_and_the_api_and_uploads_make_thumbnails() {
    let g = graph_of(BuiltIn::Blog, Detail::Flows);
    assert_path(&g, &["blog.Distribution", "blog.SiteBucket"]);
    assert_path(
        &g,
        &["blog.Distribution", "blog.BlogApi", "blog.PostsApiFunction"],
    );
    // /api/*, and the not-found page the site falls over to.
    let api = label(&g, "blog.Distribution", "blog.BlogApi");
    assert!(
        api.contains("/api/*") && api.contains("on failover"),
        "{api}"
    );
    assert_path(
        &g,
        &[
            "blog.UploadsBucket",
            "blog.UploadsTopic",
            "blog.ThumbnailQueue",
            "blog.ThumbnailFunction",
            "blog.ThumbnailsBucket",
        ],
    );
    assert_eq!(
        label(&g, "blog.UploadsBucket", "blog.UploadsTopic"),
        "uploads/*"
    );
    assert_eq!(
        label(&g, "blog.SubscribersTable", "blog.WelcomeEmailFunction"),
        // New subscribers (confirmation link) and confirmations (welcome).
        "INSERT/MODIFY records"
    );
    // Log buckets are plumbing, not components.
    assert!(g.node("blog.CdnLogsBucket").is_none());
    assert!(g.node("blog.AccessLogsBucket").is_none());
}

#[test]
fn micro_draws_every_service_with_the_cross_stack_calls() {
    let g = graph_of(BuiltIn::Micro, Detail::Flows);
    assert_path(
        &g,
        &["orders.LoadBalancer", "orders.Service", "orders.Table"],
    );
    assert_path(
        &g,
        &["orders.Service", "catalog.RestApi", "catalog.ApiFunction"],
    );
    assert_path(
        &g,
        &[
            "orders.Service",
            "accounts.LoadBalancer",
            "accounts.AutoScalingGroup",
        ],
    );
    assert_eq!(
        label(&g, "accounts.AutoScalingGroup", "accounts.Database"),
        "TCP 5432"
    );
    assert_path(
        &g,
        &[
            "orders.OrderEventsStream",
            "notifications.ConsumerFunction",
            "notifications.Table",
        ],
    );
    assert_path(
        &g,
        &["accounts.SignupsQueue", "notifications.ConsumerFunction"],
    );
    assert_path(&g, &["catalog.ApiFunction", "catalog.Cache"]);
    assert_eq!(
        label(&g, "orders.Service", "catalog.RestApi"),
        "calls (CatalogUrl)"
    );
    // The network stack has no component: its VPC is the boundary.
    assert!(!g.nodes.iter().any(|n| n.stack == "network"));
}

#[test]
fn plumbing_is_folded_into_the_component_it_serves() {
    let g = graph_of(BuiltIn::Todo, Detail::Flows);
    let plumbing = [
        "AWS::IAM::Role",
        "AWS::Logs::LogGroup",
        "AWS::Lambda::Permission",
        "AWS::EC2::SecurityGroup",
        "AWS::EC2::RouteTable",
        "AWS::ApiGateway::Method",
        "AWS::ApiGateway::Stage",
        "AWS::ApiGateway::Deployment",
    ];
    for n in &g.nodes {
        assert!(!plumbing.contains(&n.resource_type.as_str()), "{n:?}");
    }
    let function = g.node("todo.TodoApiFunction").unwrap();
    for id in ["TodoApiRole", "TodoApiLogGroup", "FunctionSecurityGroup"] {
        assert!(
            function.folded.iter().any(|f| f == id),
            "{id} in {function:?}"
        );
    }
    let api = g.node("todo.TodoApi").unwrap();
    for id in ["TodoApiTodosGet", "TodoApiStage", "TodoApiAuthorizer"] {
        assert!(api.folded.iter().any(|f| f == id), "{id} in {api:?}");
    }
    let micro = graph_of(BuiltIn::Micro, Detail::Flows);
    let service = micro.node("orders.Service").unwrap();
    for id in ["TaskDefinition", "TaskRole", "ExecutionRole", "LogGroup"] {
        assert!(
            service.folded.iter().any(|f| f == id),
            "{id} in {service:?}"
        );
    }
}

#[test]
fn resources_detail_has_every_resource_and_reference() {
    let g = graph_of(BuiltIn::Todo, Detail::Resources);
    let artifacts = BuiltIn::Todo.synth(None).unwrap();
    let template: serde_json::Value = serde_json::from_str(artifacts[0].contents()).unwrap();
    let count = template["Resources"].as_object().unwrap().len();
    assert_eq!(g.nodes.len(), count);
    assert_path(&g, &["todo.TodoApiFunction", "todo.TodoApiRole"]);
    assert_path(&g, &["todo.TodoApiTodosGet", "todo.TodoApi"]);
}

#[test]
fn every_format_is_byte_stable() {
    for b in BuiltIn::ALL {
        for detail in [Detail::Flows, Detail::Resources] {
            let (one, two) = (graph_of(b, detail), graph_of(b, detail));
            assert_eq!(graph::mermaid(&one), graph::mermaid(&two));
            assert_eq!(graph::dot(&one), graph::dot(&two));
            assert_eq!(graph::json(&one), graph::json(&two));
            assert_eq!(graph::svg(&one), graph::svg(&two), "{b:?} {detail:?}");
        }
    }
}

#[test]
fn the_svg_is_well_formed_and_draws_every_node_and_edge_label() {
    for b in BuiltIn::ALL {
        let g = graph_of(b, Detail::Flows);
        let svg = graph::svg(&g);
        let doc = roxmltree::Document::parse(&svg).expect("the SVG is well-formed XML");
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        let text: String = doc
            .descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect::<Vec<_>>()
            .join("\n");
        for n in &g.nodes {
            assert!(
                text.contains(&n.logical_id),
                "{} drawn in {b:?}",
                n.logical_id
            );
        }
        for e in &g.edges {
            let first = e.label.lines().next().unwrap_or("");
            assert!(text.contains(first), "label {first:?} drawn in {b:?}");
        }
        let rects = doc.descendants().filter(|n| n.has_tag_name("rect")).count();
        assert!(rects >= g.nodes.len(), "a box per node in {b:?}");
    }
}

/// The Mermaid block README shows for a blueprint, between its markers.
fn readme_block(name: &str, mermaid: &str) -> String {
    format!(
        "<!-- graph:{name} (generated by `stackcraft graph {name}`; tests/graph.rs checks it) -->\n```mermaid\n{mermaid}```\n<!-- /graph:{name} -->"
    )
}

#[test]
fn readme_shows_the_current_diagrams() {
    let path = format!("{}/README.md", env!("CARGO_MANIFEST_DIR"));
    let mut readme = std::fs::read_to_string(&path).unwrap();
    let original = readme.clone();
    for b in BuiltIn::ALL {
        let name = b.name();
        let block = readme_block(name, &graph::mermaid(&graph_of(b, Detail::Flows)));
        let start = readme
            .find(&format!("<!-- graph:{name} "))
            .unwrap_or_else(|| panic!("README has no graph:{name} marker"));
        let end_marker = format!("<!-- /graph:{name} -->");
        let end = readme[start..].find(&end_marker).expect("closing marker") + start;
        readme.replace_range(start..end + end_marker.len(), &block);
    }
    if readme != original {
        if std::env::var_os("STACKCRAFT_UPDATE_README").is_some() {
            std::fs::write(&path, &readme).unwrap();
        } else {
            panic!(
                "README.md's diagrams are stale: run STACKCRAFT_UPDATE_README=1 cargo test --test graph readme"
            );
        }
    }
}

#[test]
fn the_cli_draws_blueprints_and_any_template_file() {
    let bin = env!("CARGO_BIN_EXE_stackcraft");
    let out = Command::new(bin)
        .env(
            "STACKCRAFT_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/gate-cache"),
        )
        .args(["graph", "todo", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let edges = v["edges"].as_array().unwrap();
    assert!(edges.iter().any(|e| e["from"] == "todo.TodoApi"
        && e["to"] == "todo.TodoApiFunction"
        && e["kind"] == "integration"));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("queue.yaml");
    std::fs::write(
        &file,
        "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: !GetAtt R.Arn\n  R:\n    Type: AWS::IAM::Role\n  M:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties:\n      FunctionName: !Ref F\n      EventSourceArn: !GetAtt Q.Arn\n",
    )
    .unwrap();
    let out = Command::new(bin)
        .env(
            "STACKCRAFT_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/gate-cache"),
        )
        .args(["graph", file.to_str().unwrap(), "--format", "dot"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dot = String::from_utf8(out.stdout).unwrap();
    assert!(
        dot.contains("\"queue.Q\" -> \"queue.F\" [label=\"messages\"]"),
        "{dot}"
    );
    assert!(!dot.contains("queue.R\" ["), "the role is folded: {dot}");

    let f = file.to_str().unwrap();
    let out = Command::new(bin)
        .env(
            "STACKCRAFT_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/gate-cache"),
        )
        .args(["graph", f, f, "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["stacks"][1]["name"], "queue-2", "one stem, two stacks");

    let out_dir = dir.path().join("pics");
    let out = Command::new(bin)
        .env(
            "STACKCRAFT_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/gate-cache"),
        )
        .args([
            "graph",
            "--all",
            "--format",
            "svg",
            "--out",
            out_dir.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    for b in ["todo", "blog", "micro"] {
        assert!(out_dir.join(format!("{b}.svg")).exists());
    }

    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "Resources: [1]\n").unwrap();
    let out = Command::new(bin)
        .env(
            "STACKCRAFT_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/gate-cache"),
        )
        .args(["graph", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.yaml"));
}

/// Every template of `tests/corpus` (written by others), as a stack.
fn corpus() -> Vec<(String, serde_json::Value)> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
        entries.sort_by_key(|e| e.path());
        for e in entries {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if ["yaml", "yml", "json", "template"]
                .iter()
                .any(|x| p.extension().is_some_and(|e| e == *x))
            {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus"),
        &mut files,
    );
    files
        .iter()
        .filter_map(|p| {
            let name = p.to_string_lossy().into_owned();
            let text = std::fs::read_to_string(p).ok()?;
            let t = stackcraft::check::parse::parse_template(&name, &text).ok()?;
            Some((graph::stack_name(&name), t))
        })
        .collect()
}

#[test]
fn templates_written_by_others_are_drawn() {
    let templates = corpus();
    assert!(templates.len() > 250, "{} templates", templates.len());
    let mut edges = 0;
    for t in &templates {
        let one = std::slice::from_ref(t);
        let g = graph::build(one, Detail::Flows);
        edges += g.edges.len();
        for e in &g.edges {
            assert!(
                g.node(&e.from).is_some() && g.node(&e.to).is_some(),
                "{e:?} in {}",
                t.0
            );
        }
        let svg = graph::svg(&g);
        roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{}: {e}", t.0));
        let _ = (graph::mermaid(&g), graph::dot(&g), graph::json(&g));
        let r = graph::build(one, Detail::Resources);
        let _ = graph::mermaid(&r);
    }
    assert!(edges >= 50, "{edges} flow edges over the corpus");

    let find = |name: &str| {
        let t = templates.iter().find(|(n, _)| n == name).unwrap();
        graph::build(std::slice::from_ref(t), Detail::Flows)
    };
    let web = find("webapp");
    assert_eq!(
        label(&web, "webapp.SiteDistribution", "webapp.SiteContentBucket"),
        "/*"
    );
    assert_path(
        &web,
        &[
            "webapp.RestApi",
            "webapp.TestResourceHandler",
            "webapp.TestTable",
        ],
    );
    assert!(web.node("webapp.SiteCloudFrontLogsReplicaBucket").is_none());
    let sam = find("transform_serverless_function");
    let f = "transform_serverless_function.myFunction";
    assert_eq!(
        label(&sam, "transform_serverless_function.ServerlessRestApi", f),
        "GET /original\nGET /double"
    );
    assert_path(&sam, &["transform_serverless_function.myBucket", f]);
    let elb = find("ELBStickinessSample");
    assert_eq!(
        label(
            &elb,
            "ELBStickinessSample.ElasticLoadBalancer",
            "ELBStickinessSample.EC2Instance1"
        ),
        "HTTP :80"
    );
}

#[test]
fn the_svg_renders_with_boxes_filled_by_stack() {
    for b in BuiltIn::ALL {
        let g = graph_of(b, Detail::Flows);
        let svg = graph::svg(&g);
        let tree = resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default())
            .expect("usvg reads the SVG");
        let size = tree.size().to_int_size();
        let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::default(),
            &mut pixmap.as_mut(),
        );
        // The first stack's fill (#dbeafe) covers most of every node box.
        let filled = pixmap
            .pixels()
            .iter()
            .filter(|p| (p.red(), p.green(), p.blue(), p.alpha()) == (0xdb, 0xea, 0xfe, 0xff))
            .count();
        let first_stack = g
            .nodes
            .iter()
            .filter(|n| n.stack == g.nodes[0].stack)
            .count();
        assert!(
            filled > first_stack * 100 * 20,
            "{b:?}: {filled} pixels of the first stack's fill for {first_stack} nodes"
        );
        let drawn = pixmap.pixels().iter().filter(|p| p.alpha() > 0).count();
        assert!(drawn > filled, "{b:?}: edges and borders are drawn too");
    }
}

#[test]
fn the_dot_parses_as_graphviz() {
    for b in BuiltIn::ALL {
        let g = graph_of(b, Detail::Flows);
        let dot = graph::dot(&g);
        let ast = layout::gv::DotParser::new(&dot)
            .process()
            .unwrap_or_else(|e| panic!("{b:?}: {e}\n{dot}"));
        let mut builder = layout::gv::GraphBuilder::new();
        builder.visit_graph(&ast);
        let vg = builder.get();
        assert_eq!(vg.num_nodes(), g.nodes.len(), "{b:?}: every node, once");
    }
}
