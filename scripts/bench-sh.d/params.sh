# CPU: parameter expansions.
n=${1:-40000}
x=/usr/local/lib/libfoo.so.1.2.3
i=0 t=0
while [ $i -lt $n ]; do
    a=${x#*/} b=${x%%.*} c=${#x} d=${x##*/} e=${x%.*} f=${x:-none} g=${u-$x}
    t=$((t + ${#a} + ${#b} + c + ${#d} + ${#e}))
    i=$((i + 1))
done
echo $t
