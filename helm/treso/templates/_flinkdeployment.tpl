{{/*
A FlinkDeployment of the job jar: the pipelines (flinkdeployment.yaml) or the notifier
(notifier.yaml). Arguments: root, name, entryClass, config (a file of the ConfigMap), parallelism.
*/}}
{{- define "treso.flinkDeployment" -}}
{{- $root := .root -}}
{{- $block := $root.Files.Get "files/treso-flink.yaml" | fromYaml -}}
apiVersion: flink.apache.org/v1beta1
kind: FlinkDeployment
metadata:
  name: {{ .name }}
  labels:
    {{- include "treso.labels" $root | nindent 4 }}
spec:
  image: "{{ $root.Values.image.repository }}:{{ $root.Values.image.tag }}"
  imagePullPolicy: {{ $root.Values.image.pullPolicy }}
  flinkVersion: {{ $root.Values.flinkVersion }}
  serviceAccount: {{ $root.Values.serviceAccount }}
  mode: native
  flinkConfiguration:
    # Treso's block (files/treso-flink.yaml, the same file the image and the embedded runtime use).
    {{- range $k, $v := $block }}
    {{ $k }}: {{ $v | toString | quote }}
    {{- end }}
    taskmanager.numberOfTaskSlots: {{ $root.Values.taskManager.slots | toString | quote }}
    execution.checkpointing.dir: {{ $root.Values.state.checkpointDir | quote }}
    execution.checkpointing.savepoint-dir: {{ $root.Values.state.savepointDir | quote }}
    metrics.reporter.prom.factory.class: "org.apache.flink.metrics.prometheus.PrometheusReporterFactory"
    metrics.reporter.prom.port: {{ $root.Values.metrics.port | toString | quote }}
    {{- if $root.Values.highAvailability.enabled }}
    high-availability.type: "kubernetes"
    high-availability.storageDir: {{ $root.Values.highAvailability.storageDir | quote }}
    {{- end }}
    {{- range $k, $v := $root.Values.flinkConfiguration }}
    {{ $k }}: {{ $v | toString | quote }}
    {{- end }}
  podTemplate:
    apiVersion: v1
    kind: Pod
    metadata:
      labels:
        {{- include "treso.labels" $root | nindent 8 }}
    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: 9999
        runAsGroup: 9999
        fsGroup: 9999
      containers:
        - name: flink-main-container
          securityContext:
            readOnlyRootFilesystem: true
            allowPrivilegeEscalation: false
            capabilities:
              drop: ["ALL"]
          ports:
            - name: metrics
              containerPort: {{ $root.Values.metrics.port }}
          {{- with $root.Values.existingSecret }}
          envFrom:
            - secretRef:
                name: {{ . }}
          {{- end }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            - name: flink-log
              mountPath: /opt/flink/log
            - name: treso-config
              mountPath: /opt/treso
              readOnly: true
            {{- if $root.Values.state.volumeClaim }}
            - name: flink-state
              mountPath: {{ $root.Values.state.mountPath }}
            {{- end }}
      volumes:
        - name: tmp
          emptyDir: {}
        - name: flink-log
          emptyDir: {}
        - name: treso-config
          configMap:
            name: {{ include "treso.fullname" $root }}-config
        {{- if $root.Values.state.volumeClaim }}
        - name: flink-state
          persistentVolumeClaim:
            claimName: {{ $root.Values.state.volumeClaim }}
        {{- end }}
  jobManager:
    replicas: {{ if $root.Values.highAvailability.enabled }}2{{ else }}1{{ end }}
    resource:
      cpu: {{ $root.Values.jobManager.cpu }}
      memory: {{ $root.Values.jobManager.memory | quote }}
  taskManager:
    resource:
      cpu: {{ $root.Values.taskManager.cpu }}
      memory: {{ $root.Values.taskManager.memory | quote }}
  job:
    jarURI: local:///opt/flink/usrlib/treso-jobs.jar
    entryClass: {{ .entryClass }}
    args: ["--config", "/opt/treso/{{ .config }}"]
    parallelism: {{ .parallelism }}
    upgradeMode: {{ $root.Values.job.upgradeMode }}
    state: {{ $root.Values.job.state }}
    allowNonRestoredState: {{ $root.Values.job.allowNonRestoredState }}
    {{- with $root.Values.job.initialSavepointPath }}
    initialSavepointPath: {{ . | quote }}
    {{- end }}
{{- end }}
