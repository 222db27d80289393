# Fork: background jobs and wait.
n=${1:-200}
i=0
while [ $i -lt $n ]; do
    : &
    /bin/true &
    wait
    i=$((i + 1))
done
echo $i $?
