use clap::Parser;

use tawsim::app::{ProposersLoading, StartOptions};
use tawsim::cli::{Cli, Command, error_message, run};

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        None => run_app(StartOptions { project: tawsim::sample_project_dir(), annotator: None, proposers: ProposersLoading::InBackground }),
        Some(Command::Open(args)) => run_app(StartOptions { project: args.dir, annotator: args.annotator, proposers: ProposersLoading::InBackground }),
        Some(command) => match run(command) {
            Ok(code) => code,
            Err(error) => {
                eprintln!("tawsim: {}", error_message(&error));
                2
            }
        },
    };
    std::process::exit(code);
}

fn run_app(start: StartOptions) -> i32 {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_title("tawsim").with_inner_size([1360.0, 860.0]).with_min_inner_size([720.0, 420.0]),
        ..Default::default()
    };
    match eframe::run_native("tawsim", options, Box::new(move |cc| Ok(Box::new(tawsim::app::TawsimApp::new(cc, start))))) {
        Ok(()) => 0,
        Err(error) => {
            eprintln!("tawsim: could not open a window: {error}");
            1
        }
    }
}
