# tools/oracle/guest-pagemap.sh — guest side of tools/oracle/capture for the
# /proc/self/pagemap probe (tools/oracle/guest-user/pagemapprobe.c), run as
# root, as mmsim's programs are.
echo ===PAGEMAP_INFO
uname -srvm
echo ===PROBE
/user/pagemapprobe
echo "pagemapprobe exit $?"
echo ===PROBE_END
