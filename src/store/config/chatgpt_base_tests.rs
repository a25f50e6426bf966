use super::*;

fn base_for(text: &str) -> Result<Option<String>, String> {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("config.toml");
    std::fs::write(&p, text).expect("write");
    read_chatgpt_base_url(&p)
}

#[test]
fn chatgpt_base_url_is_read_from_the_top_level() {
    assert_eq!(base_for(""), Ok(None));
    assert_eq!(
        base_for("chatgpt_base_url = \" http://127.0.0.1:9/backend-api \"\n"),
        Ok(Some("http://127.0.0.1:9/backend-api".into()))
    );
    assert_eq!(base_for("[x]\nchatgpt_base_url = \"https://a\""), Ok(None));
    assert_eq!(base_for("chatgpt_base_url = \"\""), Ok(None));
    assert!(base_for("chatgpt_base_url = 3").is_err());
    assert!(base_for("[[[").is_err());
    let dir = tempfile::tempdir().expect("tempdir");
    assert_eq!(
        read_chatgpt_base_url(&dir.path().join("none.toml")),
        Ok(None)
    );
}
