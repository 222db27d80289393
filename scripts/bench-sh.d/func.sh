# CPU: function calls with arguments and a return status.
n=${1:-50000}
add() { r=$(($1 + $2)); return 0; }
even() { [ $(($1 % 2)) -eq 0 ]; }
i=0 s=0
while [ $i -lt $n ]; do
    add $s $i
    s=$r
    if even $i; then s=$((s - 1)); fi
    i=$((i + 1))
done
echo $s
