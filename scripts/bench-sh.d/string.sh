# CPU: building strings by concatenation.
n=${1:-70000}
i=0 s= total=0
while [ $i -lt $n ]; do
    s="$s$i,"
    if [ ${#s} -gt 500 ]; then
        total=$((total + ${#s}))
        s=
    fi
    i=$((i + 1))
done
echo $total
