//! This machine and its processes, for lock files and leftover temporary files.

/// The name of this machine, as lock files record it; `"unknown"` when it cannot be told.
pub fn host_name() -> String {
    #[cfg(unix)]
    {
        let mut buf = [0u8; 256];
        // SAFETY: the buffer is valid for its whole length, and gethostname writes at most that.
        let ok = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) } == 0;
        if ok {
            let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
            if let Ok(name) = std::str::from_utf8(&buf[..end])
                && !name.is_empty()
            {
                return name.to_owned();
            }
        }
    }
    std::env::var("COMPUTERNAME").or_else(|_| std::env::var("HOSTNAME")).unwrap_or_else(|_| "unknown".to_owned())
}

/// Whether process `pid` of this machine is running: `Some(false)` only when it surely is not.
/// `None` where the system cannot tell (not Unix), so callers never take a live process for dead.
pub fn process_alive(pid: u32) -> Option<bool> {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else { return Some(false) };
        if pid <= 0 {
            return Some(false);
        }
        // SAFETY: signal 0 checks that the process exists and sends nothing.
        let result = unsafe { libc::kill(pid, 0) };
        if result == 0 {
            return Some(true);
        }
        // EPERM: it exists but belongs to someone else.
        Some(std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM))
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_alive_and_the_host_has_a_name() {
        assert!(!host_name().is_empty());
        #[cfg(unix)]
        {
            assert_eq!(process_alive(std::process::id()), Some(true));
            assert_eq!(process_alive(0), Some(false));
            // A child that has exited and been waited for is gone.
            let mut child = std::process::Command::new("true").spawn().unwrap();
            let pid = child.id();
            child.wait().unwrap();
            assert_eq!(process_alive(pid), Some(false));
        }
    }
}
