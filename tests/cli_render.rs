//! `tawsim render`: an article to PNG, headless, through the text view's layout.

use std::process::Command;

fn tawsim() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tawsim"))
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tawsim-test-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn renders_an_article_with_highlights_to_png() {
    let dir = temp_dir("render");
    let article = dir.join("a.txt");
    let text = "قرار مجلس الأمن رقم 2254\nصدر في نيويورك";
    std::fs::write(&article, text).expect("write");
    let out = dir.join("page.png");
    let status = tawsim()
        .args(["render", article.to_str().unwrap(), "--out", out.to_str().unwrap(), "--width", "600"])
        .args(["--highlight", "20..24", "--highlight", "5..9"])
        .output()
        .expect("runs");
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let image = image::open(&out).expect("a PNG").to_rgba8();
    assert_eq!(image.width(), 600);
    assert!(image.height() > 60, "two paragraphs high");

    // The first highlight (2254) is painted in the first palette colour where the digits are.
    let mut engine = tawsim::text_view::LayoutEngine::new();
    let mut doc = tawsim::text_view::DocumentLayout::new(std::sync::Arc::from(text));
    doc.set_geometry(600.0 - 48.0, 20.0);
    doc.layout_all(&mut engine);
    let rect = doc.range_rects(20..24)[0];
    let (x, y) = ((rect[0] + 24.0 + 1.0) as u32, (rect[1] + 24.0 + 8.0) as u32);
    let [r, g, b, _] = image.get_pixel(x, y).0;
    assert!(r > g && g > b && r > 200, "orange-tinted highlight at ({x},{y}), got {r},{g},{b}");
    // Outside any highlight the page colour shows.
    let [r, g, b, _] = image.get_pixel(2, 2).0;
    assert!(r > 240 && g > 240 && b > 240);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn rejects_a_range_past_the_end_naming_the_file() {
    let dir = temp_dir("render-range");
    let article = dir.join("short.txt");
    std::fs::write(&article, "حلب").expect("write");
    let output =
        tawsim().args(["render", article.to_str().unwrap(), "--out", dir.join("x.png").to_str().unwrap(), "--highlight", "1..9"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("short.txt") && stderr.contains("past the end"), "{stderr}");
    assert!(!dir.join("x.png").exists(), "nothing written");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn rejects_a_malformed_range_and_non_utf8_input() {
    let dir = temp_dir("render-bad");
    let article = dir.join("cp1256.txt");
    // "حلب" in Windows-1256.
    std::fs::write(&article, [0xcd, 0xe1, 0xc8]).expect("write");
    let output = tawsim().args(["render", article.to_str().unwrap(), "--out", dir.join("x.png").to_str().unwrap()]).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cp1256.txt: not UTF-8"));

    let output = tawsim().args(["render", article.to_str().unwrap(), "--out", "x.png", "--highlight", "5-9"]).output().expect("runs");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("START..END"));
    std::fs::remove_dir_all(dir).ok();
}
