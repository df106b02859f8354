//! `sotong text …` from the command line.

mod common;

/// Standard output of a `sotong` command that must succeed.
fn sotong(args: &[&str]) -> String {
    common::ok(common::run(args))
}

#[test]
fn chosung_prints_initial_consonants() {
    assert_eq!(sotong(&["text", "chosung", "불법주차"]), "ㅂㅂㅈㅊ\n");
    // Decomposed input (as some phones send it) gives the same answer.
    assert_eq!(sotong(&["text", "chosung", "\u{1107}\u{116E}\u{11AF}\u{1107}\u{1165}\u{11B8}주차"]), "ㅂㅂㅈㅊ\n");
    assert_eq!(sotong(&["text", "normalize", "ＣＣＴＶ　설치"]), "CCTV 설치\n");
}

#[test]
fn dedupe_reports_pairs_groups_and_repeated_complaints() {
    let dir = std::env::temp_dir().join(format!("sotong-text-dedupe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let base = "아파트 앞 도로에 불법주차 차량이 너무 많아 아이들 통학길이 위험합니다. 단속을 강화해 주세요.";
    let jsonl = dir.join("complaints.jsonl");
    let lines = [
        serde_json::json!({"id": 10, "who": "kim", "body": base}),
        serde_json::json!({"id": 9, "who": "lee", "body": format!("{base}!!")}),
        serde_json::json!({"id": 11, "who": "kim", "body": format!("{base} 부탁드립니다")}),
        serde_json::json!({"id": 12, "who": "park", "body": "공원에 가로등을 더 설치해 주시기 바랍니다."}),
    ];
    std::fs::write(&jsonl, lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    let input = jsonl.to_str().unwrap();
    let args =
        ["text", "dedupe", "--input", input, "--id-field", "id", "--text-field", "body", "--author-field", "who"];
    let out = sotong(&args);
    let pairs: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(pairs.len(), 3, "{out}");
    // a < b as strings: "10" < "11" < "9".
    assert_eq!((pairs[0]["a"].as_str(), pairs[0]["b"].as_str()), (Some("10"), Some("11")));
    assert_eq!(pairs[0]["same_author"], true);
    assert_eq!((pairs[1]["a"].as_str(), pairs[1]["b"].as_str()), (Some("10"), Some("9")));
    assert_eq!(pairs[1]["same_author"], false);
    assert!(pairs.iter().all(|p| p["similarity"].as_f64().unwrap() >= 0.8));
    let mut with_groups = args.to_vec();
    with_groups.extend(["--report", "groups"]);
    let out = sotong(&with_groups);
    assert_eq!(out.trim(), r#"{"group":1,"ids":["10","11","9"],"size":3}"#);

    let csv = dir.join("titles.csv");
    std::fs::write(&csv, "\u{feff}id,title\n1,미세먼지 대책을 세워주세요\n2,미세먼지 대책을 세워주세요\n3,주차장\n")
        .unwrap();
    let out =
        sotong(&["text", "dedupe", "--input", csv.to_str().unwrap(), "--id-field", "id", "--text-field", "title"]);
    assert_eq!(out.trim(), r#"{"a":"1","b":"2","similarity":1.0}"#);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn index_and_search_find_words_inside_compounds_and_by_initials() {
    let dir = std::env::temp_dir().join(format!("sotong-text-search-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let titles = dir.join("titles.csv");
    std::fs::write(&titles, "id,title\n1,불법주차가 너무 많아요\n2,공영 주차장을 지어 주세요\n3,도서관 운영 시간\n")
        .unwrap();
    let petitions = dir.join("petitions.jsonl");
    let lines = [
        serde_json::json!({"no": 7, "title": "어린이 보호구역", "content": "학교 앞 CCTV가 부족하고 주차 차량이 많습니다"}),
        serde_json::json!({"no": 8, "title": "버스 노선 변경", "content": "차장님께 드리는 의견"}),
    ];
    std::fs::write(&petitions, lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    let index = dir.join("index");
    let index = index.to_str().unwrap();
    let build = |input: &std::path::Path, fields: &[&str], append: bool| {
        let mut args = vec!["text", "index", "--input", input.to_str().unwrap(), "--dir", index];
        args.extend(fields);
        if append {
            args.push("--append");
        }
        sotong(&args);
    };
    build(&titles, &["--id-field", "id", "--title-field", "title"], false);
    build(&petitions, &["--id-field", "no", "--title-field", "title", "--text-field", "content"], true);

    let ids = |query: &str| -> Vec<String> {
        let out = sotong(&["text", "search", "--dir", index, query, "--format", "jsonl"]);
        out.lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].as_str().unwrap().into())
            .collect()
    };
    // Titles rank above the body; "주차장" is not 주차 and 차장 apart (doc 8).
    let mut parking = ids("주차");
    parking[..2].sort();
    assert_eq!(parking, ["1", "2", "7"]);
    assert_eq!(ids("주차장"), ["2"]);
    assert_eq!(ids("cctv"), ["7"]);
    assert_eq!(ids("ㅂㅂㅈㅊ"), ["1"]);
    assert_eq!(ids("불법ㅈㅊ"), ["1"]);
    let text = sotong(&["text", "search", "--dir", index, "도서관"]);
    assert!(text.starts_with("1\t") && text.trim_end().ends_with("3\t도서관 운영 시간"), "{text}");

    // Building again replaces the index (derived data); a directory that is not an
    // index is left alone.
    build(&titles, &["--id-field", "id", "--title-field", "title"], false);
    assert!(ids("cctv").is_empty());
    let err = common::refused(common::run(&[
        "text",
        "index",
        "--input",
        titles.to_str().unwrap(),
        "--dir",
        dir.to_str().unwrap(),
        "--id-field",
        "id",
        "--title-field",
        "title",
    ]));
    assert!(err.contains("not a sotong search index"), "{err}");
    assert!(titles.exists());
    let err = common::refused(common::run(&[
        "text",
        "index",
        "--input",
        petitions.to_str().unwrap(),
        "--dir",
        index,
        "--id-field",
        "no",
        "--title-field",
        "subject",
    ]));
    assert!(err.contains("line 1: no \"subject\" field"), "{err}");
    assert_eq!(ids("도서관"), ["3"], "a failed build leaves the index as it was");
    std::fs::remove_dir_all(dir).unwrap();
}
