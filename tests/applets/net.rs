//! ifconfig, route and ip, as root in fresh network namespaces (`unshare
//! --net`); each test builds a veth pair with fixed MAC addresses and checks
//! exact output. Skipped (with a reason) when not root or when network
//! namespaces are not available.

use crate::harness::*;
use std::process::Command;

/// Set-up run before every scenario: no automatic IPv6 link-local
/// addresses and no DAD (so output does not depend on timing), and a veth
/// pair v0/v1 with fixed MACs.
const PRE: &str = r#"set -e
echo 1 > /proc/sys/net/ipv6/conf/default/addr_gen_mode
echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad
ip link add v0 type veth peer name v1
ip link set v0 address 02:00:00:00:00:01
ip link set v1 address 02:00:00:00:00:02
set +e
exec 2>&1
"#;

/// Run `script` with /bin/sh in a new network namespace, stderr merged
/// into stdout. None when the test must be skipped.
fn netns(what: &str, script: &str) -> Option<Out> {
    if skip_unless_root(what) {
        return None;
    }
    let works = Command::new("unshare")
        .args(["-n", "true"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !works {
        eprintln!("SKIPPED {what}: unshare --net does not work here");
        return None;
    }
    let d = Dir::new();
    d.write("t.sh", format!("{PRE}{script}"));
    Some(d.sh("exec unshare -n /bin/sh t.sh").go())
}

/// What depends on timing in the scenarios that change links (operational
/// state, carrier flags: the kernel updates them asynchronously) is masked.
const NORM: &str = r"s/state [A-Z]* /state S /;s/NO-CARRIER,//;s/RUNNING //;s/^\([^ ]\{1,\} \{1,\}\)\(UP\|UNKNOWN\|LOWERLAYERDOWN\|DOWN\) \{1,\}/\1S /;";

fn check_norm(what: &str, script: &str, expected: &str) {
    check(
        what,
        &format!("{{\n{script}}} | /bin/sed '{NORM}'\n"),
        expected,
    );
}

fn check(what: &str, script: &str, expected: &str) {
    if let Some(o) = netns(what, script) {
        o.expect(0, expected.as_bytes(), b"");
    }
}

/// Bring up lo; list it with ip (long, brief, one-line) and ifconfig; a down veth only with -a.
#[test]
fn lo() {
    check(
        "lo",
        r#"ip link set lo up
ip addr show lo
ip -br addr
ip -o -4 addr
ifconfig lo
ifconfig
ip link
ifconfig -a v1
"#,
        r#"1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
    inet6 ::1/128 scope host 
       valid_lft forever preferred_lft forever
lo               UNKNOWN        127.0.0.1/8 ::1/128 
v1@v0            DOWN           
v0@v1            DOWN           
1: lo    inet 127.0.0.1/8 scope host lo\       valid_lft forever preferred_lft forever
lo        Link encap:Local Loopback  
          inet addr:127.0.0.1  Mask:255.0.0.0
          inet6 addr: ::1/128 Scope:Host
          UP LOOPBACK RUNNING  MTU:65536  Metric:1
          RX packets:0 errors:0 dropped:0 overruns:0 frame:0
          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0
          collisions:0 txqueuelen:1000 
          RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)

lo        Link encap:Local Loopback  
          inet addr:127.0.0.1  Mask:255.0.0.0
          inet6 addr: ::1/128 Scope:Host
          UP LOOPBACK RUNNING  MTU:65536  Metric:1
          RX packets:0 errors:0 dropped:0 overruns:0 frame:0
          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0
          collisions:0 txqueuelen:1000 
          RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)

1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
2: v1@v0: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether 02:00:00:00:00:02 brd ff:ff:ff:ff:ff:ff
3: v0@v1: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff
v1        Link encap:Ethernet  HWaddr 02:00:00:00:00:02  
          BROADCAST MULTICAST  MTU:1500  Metric:1
          RX packets:0 errors:0 dropped:0 overruns:0 frame:0
          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0
          collisions:0 txqueuelen:1000 
          RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)

"#,
    );
}

/// Set addresses, masks, MTU, MAC, flags, aliases and IPv6 with ifconfig; read them back with ip.
#[test]
fn ifconfig_to_ip() {
    check_norm(
        "ifconfig_to_ip",
        r#"ifconfig v0 hw ether 02:00:00:00:00:0a
ifconfig v0 10.0.0.1 netmask 255.255.255.0 broadcast 10.0.0.255 up
ifconfig v0 mtu 1400
ip -4 -o addr show dev v0
ip -br link show v0 | /bin/sed 's/ \{1,\}[A-Z]\{2,\} \{1,\}/ STATE /; s/NO-CARRIER,//'
ip link show v0 | /bin/sed -n 2p
ifconfig v1 10.0.0.2/24
ip -4 -o addr
ifconfig v0 | /bin/sed '/[RT]X packets/s/:[0-9]\{1,\}/:N/g; s/bytes:[0-9]* ([^)]*)/bytes:N/g'
ifconfig v1 down
ip link show v1
ifconfig v0:1 10.0.1.1 netmask 255.255.255.0
ip -4 -o addr show dev v0
ifconfig v0:1 | /bin/sed 's/RUNNING //'
ifconfig v0 add 2001:db8::5/64
ip -6 -o addr show dev v0 | /bin/sed 's/ tentative//'
ifconfig v0 | /bin/grep inet6
ifconfig v0 del 2001:db8::5/64
ip -6 addr show dev v0
ifconfig v0 del 2001:db8::5/64; echo "status $?"
ifconfig v1 promisc allmulti -arp txqueuelen 50
ip link show v1
ifconfig v1 -promisc -allmulti arp
ip link show v1
ifconfig v1
ifconfig v0 0.0.0.0
ip -4 -o addr show dev v0
"#,
        r#"ifconfig: SIOCDIFADDR: Cannot assign requested address
3: v0    inet 10.0.0.1/24 brd 10.0.0.255 scope global v0\       valid_lft forever preferred_lft forever
v0@v1 STATE 02:00:00:00:00:0a <BROADCAST,MULTICAST,UP,M-DOWN> 
    link/ether 02:00:00:00:00:0a brd ff:ff:ff:ff:ff:ff
2: v1    inet 10.0.0.2/24 brd 10.0.0.255 scope global v1\       valid_lft forever preferred_lft forever
3: v0    inet 10.0.0.1/24 brd 10.0.0.255 scope global v0\       valid_lft forever preferred_lft forever
v0        Link encap:Ethernet  HWaddr 02:00:00:00:00:0A  
          inet addr:10.0.0.1  Bcast:10.0.0.255  Mask:255.255.255.0
          UP BROADCAST MULTICAST  MTU:1400  Metric:1
          RX packets:N errors:N dropped:N overruns:N frame:N
          TX packets:N errors:N dropped:N overruns:N carrier:N
          collisions:0 txqueuelen:1000 
          RX bytes:N  TX bytes:N

2: v1@v0: <BROADCAST,MULTICAST> mtu 1500 qdisc noqueue state S mode DEFAULT group default qlen 1000
    link/ether 02:00:00:00:00:02 brd ff:ff:ff:ff:ff:ff
3: v0    inet 10.0.0.1/24 brd 10.0.0.255 scope global v0\       valid_lft forever preferred_lft forever
3: v0    inet 10.0.1.1/24 brd 10.0.1.255 scope global v0:1\       valid_lft forever preferred_lft forever
v0:1      Link encap:Ethernet  HWaddr 02:00:00:00:00:0A  
          inet addr:10.0.1.1  Bcast:10.0.1.255  Mask:255.255.255.0
          UP BROADCAST MULTICAST  MTU:1400  Metric:1

3: v0    inet6 2001:db8::5/64 scope global \       valid_lft forever preferred_lft forever
          inet6 addr: 2001:db8::5/64 Scope:Global
status 1
2: v1@v0: <BROADCAST,MULTICAST,NOARP,ALLMULTI,PROMISC> mtu 1500 qdisc noqueue state S mode DEFAULT group default qlen 50
    link/ether 02:00:00:00:00:02 brd ff:ff:ff:ff:ff:ff
2: v1@v0: <BROADCAST,MULTICAST> mtu 1500 qdisc noqueue state S mode DEFAULT group default qlen 50
    link/ether 02:00:00:00:00:02 brd ff:ff:ff:ff:ff:ff
v1        Link encap:Ethernet  HWaddr 02:00:00:00:00:02  
          inet addr:10.0.0.2  Bcast:10.0.0.255  Mask:255.255.255.0
          BROADCAST MULTICAST  MTU:1500  Metric:1
          RX packets:0 errors:0 dropped:0 overruns:0 frame:0
          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0
          collisions:0 txqueuelen:50 
          RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)

3: v0    inet 10.0.1.1/24 brd 10.0.1.255 scope global v0:1\       valid_lft forever preferred_lft forever
"#,
    );
}

/// Set addresses (with a label alias) and IPv6 with ip; read them back with ifconfig.
#[test]
fn ip_to_ifconfig() {
    check_norm(
        "ip_to_ifconfig",
        r#"ip link set v0 up mtu 1300
ip link set v1 up
ip addr add 10.1.0.1/16 brd + dev v0
ip addr add 10.1.0.9/16 dev v0 label v0:9
ip -6 addr add 2001:db8::1/64 dev v0 nodad
/bin/sleep 1
ifconfig | /bin/sed '/[RT]X packets/s/:[0-9]\{1,\}/:N/g; s/bytes:[0-9]* ([^)]*)/bytes:N/g'
ifconfig v0:9 | /bin/sed 's/RUNNING //'
"#,
        r#"v0        Link encap:Ethernet  HWaddr 02:00:00:00:00:01  
          inet addr:10.1.0.1  Bcast:10.1.255.255  Mask:255.255.0.0
          inet6 addr: 2001:db8::1/64 Scope:Global
          UP BROADCAST MULTICAST  MTU:1300  Metric:1
          RX packets:N errors:N dropped:N overruns:N frame:N
          TX packets:N errors:N dropped:N overruns:N carrier:N
          collisions:0 txqueuelen:1000 
          RX bytes:N  TX bytes:N

v0:9      Link encap:Ethernet  HWaddr 02:00:00:00:00:01  
          inet addr:10.1.0.9  Bcast:0.0.0.0  Mask:255.255.0.0
          UP BROADCAST MULTICAST  MTU:1300  Metric:1

v1        Link encap:Ethernet  HWaddr 02:00:00:00:00:02  
          UP BROADCAST MULTICAST  MTU:1500  Metric:1
          RX packets:N errors:N dropped:N overruns:N frame:N
          TX packets:N errors:N dropped:N overruns:N carrier:N
          collisions:0 txqueuelen:1000 
          RX bytes:N  TX bytes:N

v0:9      Link encap:Ethernet  HWaddr 02:00:00:00:00:01  
          inet addr:10.1.0.9  Bcast:0.0.0.0  Mask:255.255.0.0
          UP BROADCAST MULTICAST  MTU:1300  Metric:1

"#,
    );
}

/// Routes added and deleted with route and ip, read back with both; replace, get, flush, IPv6.
#[test]
fn routes() {
    check(
        "routes",
        r#"ip link set lo up
ip link set v0 up
ip link set v1 up
ip addr add 10.0.0.1/24 dev v0
ip addr add 10.0.0.2/24 brd + dev v1
route add default gw 10.0.0.254
route -n
route
ip route
ip route add 10.5.0.0/16 via 10.0.0.3 metric 5
ip route add 10.6.0.0/16 dev v1 proto static scope link table 7
ip route show table 7
route -n
route add -net 10.7.0.0 netmask 255.255.0.0 gw 10.0.0.4 metric 2
route add -host 10.8.0.1 dev v0
ip route
route -e
route add default gw 10.0.0.254; echo "status $?"
ip route add 10.5.0.0/16 via 10.0.0.3 metric 5; echo "status $?"
route del default
ip route del 10.5.0.0/16 via 10.0.0.3 metric 5
route del -net 10.7.0.0 netmask 255.255.0.0
ip route
route del -host 10.9.9.9; echo "status $?"
ip route del 10.9.0.0/16; echo "status $?"
ip route add default via 10.0.0.254 dev v0
ip route replace default via 10.0.0.253 dev v0
ip route replace default via 10.0.0.253 dev v0
ip route get 10.1.2.3
ip route get 10.0.0.2 from 10.0.0.1
ip route show default
ip route show dev v1
ip -6 route
ip route flush dev v1
ip route
ip -6 addr add 2001:db8::1/64 dev v0
ip -6 route add 2001:db8:1::/48 via 2001:db8::2
ip -6 route
route -A inet6 add 2001:db8:2::/48 gw 2001:db8::3 metric 9 dev v0
route -A inet6 add 2001:db8:2::/48 gw 2001:db8::3 metric 9 dev v0; echo "status $?"
route -A inet6 -n | /bin/sed -n "1,2p;/2001:db8:[12]::/p"
ip -6 route show 2001:db8:2::/48
route -A inet6 del 2001:db8:2::/48 gw 2001:db8::3 metric 9 dev v0
ip -6 route show 2001:db8:2::/48
route -A inet6 add 2001:db8:3::/48 dev nope; echo "status $?"
"#,
        r#"Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
0.0.0.0         10.0.0.254      0.0.0.0         UG    0      0        0 v0
10.0.0.0        0.0.0.0         255.255.255.0   U     0      0        0 v0
10.0.0.0        0.0.0.0         255.255.255.0   U     0      0        0 v1
Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
default         10.0.0.254      0.0.0.0         UG    0      0        0 v0
10.0.0.0        *               255.255.255.0   U     0      0        0 v0
10.0.0.0        *               255.255.255.0   U     0      0        0 v1
default via 10.0.0.254 dev v0 
10.0.0.0/24 dev v0 proto kernel scope link src 10.0.0.1 
10.0.0.0/24 dev v1 proto kernel scope link src 10.0.0.2 
10.6.0.0/16 dev v1 proto static scope link 
Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
0.0.0.0         10.0.0.254      0.0.0.0         UG    0      0        0 v0
10.0.0.0        0.0.0.0         255.255.255.0   U     0      0        0 v0
10.0.0.0        0.0.0.0         255.255.255.0   U     0      0        0 v1
10.5.0.0        10.0.0.3        255.255.0.0     UG    5      0        0 v0
default via 10.0.0.254 dev v0 
10.0.0.0/24 dev v0 proto kernel scope link src 10.0.0.1 
10.0.0.0/24 dev v1 proto kernel scope link src 10.0.0.2 
10.5.0.0/16 via 10.0.0.3 dev v0 metric 5 
10.7.0.0/16 via 10.0.0.4 dev v0 metric 2 
10.8.0.1 dev v0 scope link 
Kernel IP routing table
Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface
default         10.0.0.254      0.0.0.0         UG        0 0          0 v0
10.0.0.0        *               255.255.255.0   U         0 0          0 v0
10.0.0.0        *               255.255.255.0   U         0 0          0 v1
10.5.0.0        10.0.0.3        255.255.0.0     UG        0 0          0 v0
10.7.0.0        10.0.0.4        255.255.0.0     UG        0 0          0 v0
10.8.0.1        *               255.255.255.255 UH        0 0          0 v0
route: SIOCADDRT: File exists
status 1
RTNETLINK answers: File exists
status 2
10.0.0.0/24 dev v0 proto kernel scope link src 10.0.0.1 
10.0.0.0/24 dev v1 proto kernel scope link src 10.0.0.2 
10.8.0.1 dev v0 scope link 
route: SIOCDELRT: No such process
status 1
RTNETLINK answers: No such process
status 2
10.1.2.3 via 10.0.0.253 dev v0 src 10.0.0.1 uid 0 
    cache 
local 10.0.0.2 from 10.0.0.1 dev lo uid 0 
    cache <local> 
default via 10.0.0.253 dev v0 
10.0.0.0/24 proto kernel scope link src 10.0.0.2 
default via 10.0.0.253 dev v0 
10.0.0.0/24 dev v0 proto kernel scope link src 10.0.0.1 
10.8.0.1 dev v0 scope link 
2001:db8::/64 dev v0 proto kernel metric 256 pref medium
2001:db8:1::/48 via 2001:db8::2 dev v0 metric 1024 pref medium
route: SIOCADDRT: File exists
status 1
Kernel IPv6 routing table
Destination                                 Next Hop                                Flags Metric Ref    Use Iface
2001:db8:1::/48                             2001:db8::2                             UG    1024   1        0 v0      
2001:db8:2::/48                             2001:db8::3                             UG    9      1        0 v0      
2001:db8:2::/48 via 2001:db8::3 dev v0 metric 9 pref medium
route: SIOCGIFINDEX: No such device
status 1
"#,
    );
}

/// Missing interfaces, bad addresses and prefixes, duplicates: messages and statuses.
#[test]
fn errors() {
    check(
        "errors",
        r#"ifconfig nope; echo "status $?"
ifconfig nope up; echo "status $?"
ifconfig nope 10.0.0.1; echo "status $?"
ifconfig v0 1.2.3.; echo "status $?"
ifconfig v0 mtu 10; echo "status $?"
ip link show nope; echo "status $?"
ip addr show dev nope; echo "status $?"
ip addr add 10.0.0.1/33 dev v0; echo "status $?"
ip addr add foo dev v0; echo "status $?"
ip addr add 10.0.0.1/24 dev nope; echo "status $?"
ip addr add 10.0.0.1/24; echo "status $?"
ip addr add 10.0.0.1/24 dev v0; echo "status $?"
ip addr add 10.0.0.1/24 dev v0; echo "status $?"
ip addr del 10.0.0.9/24 dev v0; echo "status $?"
ip route add 10.0.0.0/8 via 1.2.3.4.5; echo "status $?"
ip route add foo dev v0; echo "status $?"
ip route del 10.99.0.0/16; echo "status $?"
ip link set nope up; echo "status $?"
ip link set v0 mtu abc; echo "status $?"
ip link set v0 frob; echo "status $?"
ip frob; echo "status $?"
ip addr frob; echo "status $?"
ip addr flush; echo "status $?"
route add -net 10.13.0.1/16 dev v0; echo "status $?"
route add -net 10.13.0.0 netmask 255.0.255.0 dev v0; echo "status $?"
route add -net 10.10.0.0/16 dev nope; echo "status $?"
route del 10.99.0.0 ; echo "status $?"
"#,
        r#"ifconfig: nope: error fetching interface information: Device not found
status 1
ifconfig: SIOCGIFFLAGS: No such device
status 1
ifconfig: SIOCSIFADDR: No such device
status 1
ifconfig: bad address '1.2.3.'
status 1
ifconfig: SIOCSIFMTU: Invalid argument
status 1
Device "nope" does not exist.
status 1
Device "nope" does not exist.
status 1
Error: any valid prefix is expected rather than "10.0.0.1/33".
status 1
Error: any valid prefix is expected rather than "foo".
status 1
Cannot find device "nope"
status 1
Not enough information: "dev" argument is required.
status 1
status 0
Error: ipv4: Address already assigned.
status 2
Error: ipv4: Address not found.
status 2
Error: inet address is expected rather than "1.2.3.4.5".
status 1
Error: any valid prefix is expected rather than "foo".
status 1
RTNETLINK answers: No such process
status 2
Cannot find device "nope"
status 1
Error: argument "abc" is wrong: Invalid "mtu" value

status 255
Error: either "dev" is duplicate, or "frob" is a garbage.
status 255
Object "frob" is unknown, try "ip help".
status 1
Command "frob" is unknown, try "ip address help".
status 255
Flush requires arguments.
status 1
route: netmask and route address conflict
status 1
route: bogus netmask 255.0.255.0
status 1
route: SIOCADDRT: No such device
status 1
route: SIOCDELRT: No such process
status 1
"#,
    );
}

/// ip link set/add/del, ip addr add/del/flush with filters, ip neigh add/del/show.
#[test]
fn link_addr_neigh() {
    check_norm(
        "link_addr_neigh",
        r#"ip link set lo up
ip link set v1 up
ip link set v0 up
ip addr add 10.0.0.1/24 dev v0
ip neigh add 10.0.0.7 lladdr 02:00:00:00:00:07 dev v0

ip neigh replace 10.0.0.9 lladdr 02:00:00:00:00:09 dev v0 nud stale
ip neigh | /usr/bin/sort
ip neigh show dev v0 | /usr/bin/sort
ip neigh del 10.0.0.7 dev v0
ip neigh del 10.0.0.7 dev v0; echo "status $?"
ip n
ip neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev v0 nud reachable
ip neigh flush dev v0
ip n
ip neigh flush; echo "status $?"
ip link set v1 down
ip link set dev v1 name w1
ip link set w1 mtu 1400 txqueuelen 77 promisc on arp off multicast off allmulticast on
ip link show w1
ip link set w1 promisc off arp on multicast on allmulticast off address 02:00:00:00:00:33 up
ip -o link show w1 | /bin/sed 's/state [A-Z]* /state S /; s/NO-CARRIER,//'
ip link set w1 promisc maybe; echo "status $?"
ip link add d0 type veth peer name d1
ip -br link | grep -v ^d
ip link del d0
ip link del d0; echo "status $?"
ip -br link | grep -v ^d
ip addr add 10.1.0.1/16 dev w1
ip addr add 10.1.0.2/16 dev w1
ip addr add 10.2.0.1/24 peer 10.2.0.2 dev w1 label w1:p
ip addr add 192.168.9.1/24 brd 192.168.9.255 scope link dev w1
ip -6 addr add 2001:db8::7/64 dev w1 nodad
ip addr show dev w1
ip -4 addr show label w1:p
ip addr show to 10.1.0.0/16
ip -br -4 a
ip addr del 10.1.0.1/16 dev w1
ip addr show w1
ip addr flush dev w1
ip addr show w1
ip -6 addr add 2001:db8::8/64 dev w1 nodad
ip -4 addr flush dev w1
ip a s w1
ip -s -s link show w1 | head -3
ip l s w1 down
ip -br l show w1
"#,
        r#"RTNETLINK answers: No such file or directory
Flush requires arguments.
Error: argument of "promisc" must be "on" or "off", not "maybe"
Cannot find device "d0"
10.0.0.7 dev v0 lladdr 02:00:00:00:00:07 PERMANENT 
10.0.0.9 dev v0 lladdr 02:00:00:00:00:09 STALE 
10.0.0.7 lladdr 02:00:00:00:00:07 PERMANENT 
10.0.0.9 lladdr 02:00:00:00:00:09 STALE 
status 2
10.0.0.9 dev v0 lladdr 02:00:00:00:00:09 STALE 
status 1
2: w1@v0: <BROADCAST,NOARP,ALLMULTI,PROMISC> mtu 1400 qdisc noqueue state S mode DEFAULT group default qlen 77
    link/ether 02:00:00:00:00:02 brd ff:ff:ff:ff:ff:ff
2: w1@v0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1400 qdisc noqueue state S mode DEFAULT group default qlen 77\    link/ether 02:00:00:00:00:33 brd ff:ff:ff:ff:ff:ff
status 1
lo               S 00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> 
w1@v0            S 02:00:00:00:00:33 <BROADCAST,MULTICAST,UP,LOWER_UP> 
v0@w1            S 02:00:00:00:00:01 <BROADCAST,MULTICAST,UP,LOWER_UP> 
status 1
lo               S 00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> 
w1@v0            S 02:00:00:00:00:33 <BROADCAST,MULTICAST,UP,LOWER_UP> 
v0@w1            S 02:00:00:00:00:01 <BROADCAST,MULTICAST,UP,LOWER_UP> 
2: w1@v0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1400 qdisc noqueue state S group default qlen 77
    link/ether 02:00:00:00:00:33 brd ff:ff:ff:ff:ff:ff
    inet 192.168.9.1/24 brd 192.168.9.255 scope link w1
       valid_lft forever preferred_lft forever
    inet 10.1.0.1/16 scope global w1
       valid_lft forever preferred_lft forever
    inet 10.2.0.1 peer 10.2.0.2/32 scope global w1:p
       valid_lft forever preferred_lft forever
    inet 10.1.0.2/16 scope global secondary w1
       valid_lft forever preferred_lft forever
    inet6 2001:db8::7/64 scope global nodad 
       valid_lft forever preferred_lft forever
    inet 10.2.0.1 peer 10.2.0.2/32 scope global w1:p
       valid_lft forever preferred_lft forever
2: w1@v0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1400 qdisc noqueue state S group default qlen 77
    inet 10.1.0.1/16 scope global w1
       valid_lft forever preferred_lft forever
    inet 10.1.0.2/16 scope global secondary w1
       valid_lft forever preferred_lft forever
lo               S 127.0.0.1/8 
w1@v0            S 192.168.9.1/24 10.1.0.1/16 10.2.0.1 peer 10.2.0.2/32 10.1.0.2/16 
v0@w1            S 10.0.0.1/24 
2: w1@v0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1400 qdisc noqueue state S group default qlen 77
    link/ether 02:00:00:00:00:33 brd ff:ff:ff:ff:ff:ff
    inet 192.168.9.1/24 brd 192.168.9.255 scope link w1
       valid_lft forever preferred_lft forever
    inet 10.2.0.1 peer 10.2.0.2/32 scope global w1:p
       valid_lft forever preferred_lft forever
    inet6 2001:db8::7/64 scope global nodad 
       valid_lft forever preferred_lft forever
2: w1@v0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1400 qdisc noqueue state S group default qlen 77
    link/ether 02:00:00:00:00:33 brd ff:ff:ff:ff:ff:ff
2: w1@v0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1400 qdisc noqueue state S group default qlen 77
    link/ether 02:00:00:00:00:33 brd ff:ff:ff:ff:ff:ff
    inet6 2001:db8::8/64 scope global nodad 
       valid_lft forever preferred_lft forever
2: w1@v0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1400 qdisc noqueue state S mode DEFAULT group default qlen 77
    link/ether 02:00:00:00:00:33 brd ff:ff:ff:ff:ff:ff
    RX:  bytes packets errors dropped  missed   mcast           
w1@v0            S 02:00:00:00:00:33 <BROADCAST,MULTICAST> 
"#,
    );
}

/// Move one end of a veth into a child namespace by pid and configure both sides.
#[test]
fn two_namespaces() {
    check_norm(
        "two_namespaces",
        r#"unshare -n /bin/sleep 30 &
pid=$!
i=0
while [ "$(/bin/readlink /proc/$pid/ns/net)" = "$(/bin/readlink /proc/$$/ns/net)" ] && [ $i -lt 200 ]; do
  /bin/sleep 0.05; i=$((i+1))
done
ip link set v1 netns $pid
ip link show v0
ip -br link
nsenter -t $pid -n ip -br link
nsenter -t $pid -n ifconfig v1 10.0.0.2 netmask 255.255.255.0 up
ifconfig v0 10.0.0.1 netmask 255.255.255.0 up
/bin/sleep 1; nsenter -t $pid -n ip -4 addr show v1 | /bin/sed 's/state [A-Z]* /state S /; s/NO-CARRIER,//'
nsenter -t $pid -n route add default gw 10.0.0.1
nsenter -t $pid -n route -n
nsenter -t $pid -n ip route
ip link set v0 netns abc; echo "status $?"
kill $pid
"#,
        r#"Error: argument "abc" is wrong: Invalid "netns" value

3: v0@if2: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state S mode DEFAULT group default qlen 1000
    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff link-netnsid 0
lo               S 00:00:00:00:00:00 <LOOPBACK> 
v0@if2           S 02:00:00:00:00:01 <BROADCAST,MULTICAST> 
lo               S 00:00:00:00:00:00 <LOOPBACK> 
v1@if3           S 02:00:00:00:00:02 <BROADCAST,MULTICAST> 
2: v1@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state S group default qlen 1000 link-netnsid 0
    inet 10.0.0.2/24 brd 10.0.0.255 scope global v1
       valid_lft forever preferred_lft forever
Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
0.0.0.0         10.0.0.1        0.0.0.0         UG    0      0        0 v1
10.0.0.0        0.0.0.0         255.255.255.0   U     0      0        0 v1
default via 10.0.0.1 dev v1 
10.0.0.0/24 dev v1 proto kernel scope link src 10.0.0.2 
status 255
"#,
    );
}

/// Bad options and `--help`: no privilege or namespace needed.
#[test]
fn usage_errors() {
    run("ifconfig", &["-x"]).fails(
        1,
        "ifconfig: invalid option -- 'x'\nUsage: ifconfig [-a] [IFACE] [ADDRESS[/PREFIX]] [OPTIONS]...\n",
    );
    run("route", &["-x"]).fails(
        1,
        "route: invalid option -- 'x'\nUsage: route [-ne] [-A inet[6]] [{add|del} [-net|-host] TARGET [netmask MASK]\n",
    );
    run("route", &["-A", "ipx"]).fails(1, "route: unsupported address family 'ipx'\n");
    run("route", &["frob"]).fails(
        1,
        "route: invalid command 'frob'\nUsage: route [-ne] [-A inet[6]] [{add|del} [-net|-host] TARGET [netmask MASK]\n",
    );
    run("ip", &["-x", "addr"]).fails(255, "Option \"-x\" is unknown, try \"ip -help\".\n");
    run("ip", &["frob"]).fails(1, "Object \"frob\" is unknown, try \"ip help\".\n");
    run("ip", &["addr", "frob"]).fails(
        255,
        "Command \"frob\" is unknown, try \"ip address help\".\n",
    );
    run("ip", &["route", "add", "10.0.0.0/33"]).fails(
        1,
        "Error: any valid prefix is expected rather than \"10.0.0.0/33\".\n",
    );
    run("ip", &["-4", "addr", "add", "2001::1/64", "dev", "lo"]).fails(
        1,
        "Error: inet prefix is expected rather than \"2001::1/64\".\n",
    );
    run("ip", &["link", "set", "lo", "mtu", "x"]).fails(
        255,
        "Error: argument \"x\" is wrong: Invalid \"mtu\" value\n\n",
    );
    run("ip", &["addr", "add", "10.0.0.1/8"])
        .fails(1, "Not enough information: \"dev\" argument is required.\n");
    run("ip", &["neigh", "flush"]).fails(1, "Flush requires arguments.\n");
    run("ip", &["-V"]).ok("ip utility, ibex\n");
    // Names that do not fit an ifreq are refused before any ioctl.
    run("ifconfig", &["abcdefghijklmnopq", "up"])
        .fails(1, "ifconfig: abcdefghijklmnopq: No such device\n");
    for applet in ["ifconfig", "route", "ip"] {
        let o = run(applet, &["--help"]).go();
        assert_eq!(o.code, 0, "{applet} --help");
        assert!(
            o.out().starts_with("Usage: "),
            "{applet} --help: {}",
            o.out()
        );
    }
}

/// Traffic across the veth pair into a second namespace: ping with its
/// summary, nc both ways, wget from an HTTP responder on the far side.
#[cfg(all(feature = "ping", feature = "nc", feature = "wget"))]
#[test]
fn traffic_across_the_pair() {
    check(
        "traffic_across_the_pair",
        r#"unshare -n /bin/sleep 30 &
pid=$!
i=0
while [ "$(/bin/readlink /proc/$pid/ns/net)" = "$(/bin/readlink /proc/$$/ns/net)" ] && [ $i -lt 200 ]; do
  /bin/sleep 0.05; i=$((i+1))
done
ip link set v1 netns $pid
nsenter -t $pid -n ip addr add 10.0.0.2/24 dev v1
nsenter -t $pid -n ip link set v1 up
ip addr add 10.0.0.1/24 dev v0
ip link set v0 up
i=0
until ping -c 1 -W 1 10.0.0.2 >/dev/null 2>&1 || [ $i -gt 20 ]; do i=$((i+1)); done
ping -c 2 -i 0.2 -W 2 10.0.0.2 > p.out
echo "ping status $?"
/bin/sed 's/time=[0-9.]* ms/time=T ms/; s/= [0-9.\/]* ms/= T ms/' p.out
ping -c 1 -W 1 10.0.0.9 > p.out
echo "unreachable status $?"
cat p.out
echo "from B" > b.txt
nsenter -t $pid -n nc -l -p 7000 < b.txt > a-got.txt &
srv=$!
/bin/sleep 0.3
echo "from A" | nc -w 3 10.0.0.2 7000
wait $srv
echo "B got: $(cat a-got.txt)"
printf 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nbody\n' > resp
nsenter -t $pid -n nc -l -p 8080 < resp > req &
srv=$!
/bin/sleep 0.3
wget -q -O - http://10.0.0.2:8080/path
echo "wget status $?"
wait $srv
/bin/sed -n '1p' req | tr -d '\r'
kill $pid
"#,
        "ping status 0
PING 10.0.0.2 (10.0.0.2): 56 data bytes
64 bytes from 10.0.0.2: seq=0 ttl=64 time=T ms
64 bytes from 10.0.0.2: seq=1 ttl=64 time=T ms

--- 10.0.0.2 ping statistics ---
2 packets transmitted, 2 packets received, 0% packet loss
round-trip min/avg/max = T ms
unreachable status 1
PING 10.0.0.9 (10.0.0.9): 56 data bytes

--- 10.0.0.9 ping statistics ---
1 packets transmitted, 0 packets received, 100% packet loss
from B
B got: from A
body
wget status 0
GET /path HTTP/1.1
",
    );
}
