//! A port on 127.0.0.1 that refuses connections for as long as the test holds it.
//!
//! Binding a listener for a free port and dropping it races with the other tests of the binary:
//! a server of one of them may take the port before the connection is tried. A socket bound and
//! never listened on refuses connections and keeps the port.

/// Closes the socket when the test is done with its port.
pub struct HeldSocket(libc::c_int);

impl Drop for HeldSocket {
    fn drop(&mut self) {
        unsafe { libc::close(self.0) };
    }
}

pub fn bound_not_listening() -> (HeldSocket, u16) {
    unsafe {
        let fd = libc::socket(libc::AF_INET, libc::SOCK_STREAM, 0);
        assert!(fd >= 0, "socket: {}", std::io::Error::last_os_error());
        let held = HeldSocket(fd);
        let mut addr: libc::sockaddr_in = std::mem::zeroed();
        addr.sin_family = libc::AF_INET as libc::sa_family_t;
        addr.sin_addr.s_addr = u32::from(std::net::Ipv4Addr::LOCALHOST).to_be();
        let len = std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
        let rc = libc::bind(fd, (&raw const addr).cast(), len);
        assert_eq!(rc, 0, "bind: {}", std::io::Error::last_os_error());
        let mut len = len;
        let rc = libc::getsockname(fd, (&raw mut addr).cast(), &mut len);
        assert_eq!(rc, 0, "getsockname: {}", std::io::Error::last_os_error());
        (held, u16::from_be(addr.sin_port))
    }
}
