//! Files named from outside (the command line, the config): only regular files are read, and
//! no more of one than a bound, so that a device or a pipe named by mistake is refused at once
//! instead of hanging or filling memory.

use std::fs;
use std::io::{self, Read};
use std::os::unix::fs::FileTypeExt;
use std::path::Path;

/// What a file that is not a regular one is, in words.
pub fn kind_of(kind: fs::FileType) -> &'static str {
    if kind.is_dir() {
        "a directory"
    } else if kind.is_fifo() {
        "a named pipe"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else {
        "a special file"
    }
}

/// The whole of a regular file of at most `limit` bytes. Anything else is an error that says
/// what the file is, or how large it is against the limit.
pub fn read_regular(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let kind = fs::metadata(path)?.file_type();
    if !kind.is_file() {
        return Err(io::Error::other(format!(
            "it is {}, not a regular file",
            kind_of(kind)
        )));
    }
    let file = fs::File::open(path)?;
    let mut bytes = Vec::new();
    // Read through the bound, not the size the file says it has: it may grow while read.
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::other(format!(
            "larger than {} MiB, more than one import reads",
            limit >> 20
        )));
    }
    Ok(bytes)
}
