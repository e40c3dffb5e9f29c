//! Sharing and opening: the Share button and dialog (`button`, `dialog`),
//! export of the results (`export_menu`), opening a `.pyrace.json` file
//! (`open_file_button`) and the notice after a link or file opened
//! (`link_notice`); the export's text (`export`, pure).

pub mod export;

browser_only! {
    mod button;
    mod dialog;
    mod export_menu;
    mod link_notice;
    mod open_file_button;

    pub use button::ShareButton;
    pub use export_menu::ExportMenu;
    pub use link_notice::LinkNotice;
    pub use open_file_button::OpenFileButton;
}
