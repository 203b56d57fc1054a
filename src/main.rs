use clap::Parser;

use tawsim::cli::{Cli, run};

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        Some(command) => match run(command) {
            Ok(code) => code,
            Err(error) => {
                eprintln!("tawsim: {error:#}");
                2
            }
        },
        None => run_app(),
    };
    std::process::exit(code);
}

fn run_app() -> i32 {
    let corpus = tawsim::sample_corpus_dir();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_title("tawsim").with_inner_size([1280.0, 820.0]),
        ..Default::default()
    };
    match eframe::run_native("tawsim", options, Box::new(move |cc| Ok(Box::new(tawsim::app::TawsimApp::new(cc, &corpus))))) {
        Ok(()) => 0,
        Err(error) => {
            eprintln!("tawsim: could not open a window: {error}");
            1
        }
    }
}
